from django.urls import path

from . import api, dashboard_views, live_views, session_views, views

urlpatterns = [
    path("annotations/", api.container, name="annotation_container"),
    path("annotations/<id:pk>", api.resource, name="annotation_detail"),
    path("annotations/threads/", views.threads, name="annotation_threads"),
    path("annotations/panel/", views.panel, name="annotation_panel"),
    path("annotations/links/", views.links, name="annotation_links"),
    path("annotations/<id:pk>/edit/", views.edit, name="annotation_edit"),
    path("annotations/<id:pk>/delete/", views.delete, name="annotation_delete"),
    path("annotations/<id:pk>/reply/", views.reply, name="annotation_reply"),
    path("annotations/tags.css", views.tag_styles, name="annotation_tag_styles"),
    path("annotations/tags/", views.tag_suggestions, name="annotation_tag_suggestions"),
    path("sessions/", session_views.session_list, name="session_list"),
    path("sessions/new/", session_views.session_new, name="session_new"),
    path("sessions/join/<str:token>/", session_views.session_join_view, name="session_join"),
    path("sessions/<id:pk>/poll/", live_views.session_poll, name="session_poll"),
    path("sessions/<id:pk>/here/", live_views.session_here, name="session_here"),
    path("sessions/<id:pk>/members/", session_views.session_members, name="session_members"),
    path("sessions/<id:pk>/dashboard/", dashboard_views.session_dashboard, name="session_dashboard"),
    path(
        "sessions/<id:pk>/export.jsonld",
        dashboard_views.session_export,
        {"fmt": "jsonld"},
        name="session_export_jsonld",
    ),
    path("sessions/<id:pk>/export.csv", dashboard_views.session_export, {"fmt": "csv"}, name="session_export_csv"),
]
