from django.urls import path

from . import line_rule_views, suggestion_views, views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/<id:pk>/", views.document_detail, name="document_detail"),
    path("documents/<id:pk>.txt", views.document_text, name="document_text"),
    path("documents/<id:pk>/changes/", views.document_changes, name="document_changes"),
    path("documents/<id:pk>/lines/", line_rule_views.line_rule_preview_view, name="line_rule_preview"),
    path("documents/<id:pk>/lines/remove/", line_rule_views.line_rule_create_view, name="line_rule_create"),
    path("line-rules/<id:pk>/off/", line_rule_views.line_rule_off_view, name="line_rule_off"),
    path("compare/", views.compare, name="compare"),
    path("compare/suggestions/", suggestion_views.suggestions, name="compare_suggestions"),
    path("compare/suggestions/accept/", suggestion_views.suggestion_accept_view, name="suggestion_accept"),
    path("compare/suggestions/dismiss/", suggestion_views.suggestion_dismiss_view, name="suggestion_dismiss"),
    path("imports/", views.import_urls, name="import_urls"),
    path("imports/<id:pk>/", views.import_job, name="import_job"),
    path("search/", views.search, name="search"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
]
