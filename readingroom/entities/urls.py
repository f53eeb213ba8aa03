from django.urls import path

from . import views

urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/search/", views.entity_search, name="entity_search"),
    path("entities/<id:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<id:pk>/card/", views.entity_card, name="entity_card"),
    path("entities/<id:pk>/merge/", views.entity_merge_view, name="entity_merge"),
    path("entities/<id:pk>/split/", views.entity_split_view, name="entity_split"),
    path("entities/<id:pk>/type/", views.entity_type_view, name="entity_type"),
    path("entities/<id:pk>/reject/", views.entity_reject_view, name="entity_reject"),
    path("entities/decisions/<id:pk>/undo/", views.decision_undo_view, name="entity_decision_undo"),
]
