from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "readingroom.annotations"
    label = "annotations"
    verbose_name = "Annotations"
