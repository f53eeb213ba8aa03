from django.urls import path

from . import api, views

urlpatterns = [
    path("annotations/", api.container, name="annotation_container"),
    path("annotations/<int:pk>", api.resource, name="annotation_detail"),
    path("annotations/threads/", views.threads, name="annotation_threads"),
    path("annotations/panel/", views.panel, name="annotation_panel"),
    path("annotations/<int:pk>/edit/", views.edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", views.delete, name="annotation_delete"),
    path("annotations/<int:pk>/reply/", views.reply, name="annotation_reply"),
    path("annotations/tags.css", views.tag_styles, name="annotation_tag_styles"),
]
