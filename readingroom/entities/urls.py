from django.urls import path

from . import views

urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/<id:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<id:pk>/card/", views.entity_card, name="entity_card"),
]
