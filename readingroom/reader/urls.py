from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/<id:pk>/", views.document_detail, name="document_detail"),
    path("documents/<id:pk>.txt", views.document_text, name="document_text"),
    path("documents/<id:pk>/changes/", views.document_changes, name="document_changes"),
    path("compare/", views.compare, name="compare"),
    path("imports/", views.import_urls, name="import_urls"),
    path("imports/<id:pk>/", views.import_job, name="import_job"),
    path("search/", views.search, name="search"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
]
