from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "readingroom.library"
    label = "library"
    verbose_name = "Library"
