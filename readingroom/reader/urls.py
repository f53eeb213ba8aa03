from django.urls import path

from . import suggestion_views, views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/<id:pk>/", views.document_detail, name="document_detail"),
    path("documents/<id:pk>.txt", views.document_text, name="document_text"),
    path("documents/<id:pk>/changes/", views.document_changes, name="document_changes"),
    path("compare/", views.compare, name="compare"),
    path("compare/suggestions/", suggestion_views.suggestions, name="compare_suggestions"),
    path("compare/suggestions/accept/", suggestion_views.suggestion_accept_view, name="suggestion_accept"),
    path("compare/suggestions/dismiss/", suggestion_views.suggestion_dismiss_view, name="suggestion_dismiss"),
    path("imports/", views.import_urls, name="import_urls"),
    path("imports/<id:pk>/", views.import_job, name="import_job"),
    path("search/", views.search, name="search"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
]
