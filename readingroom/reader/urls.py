from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/<id:pk>/", views.document_detail, name="document_detail"),
    path("documents/<id:pk>.txt", views.document_text, name="document_text"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
]
