from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "readingroom.entities"
    label = "entities"
    verbose_name = "Entities"
