from django.urls import path

from . import views

urlpatterns = [
    path("quotes/", views.quotes, name="quotes"),
    path("quotes/<int:pk>/curate/", views.quote_curate, name="quote_curate"),
    path("quotes/<int:pk>/speaker/", views.quote_speaker, name="quote_speaker"),
    path("quotes/<int:pk>/split/", views.quote_split_off, name="quote_split"),
    path("quotes/<int:pk>/join/", views.quote_join_with, name="quote_join"),
]
