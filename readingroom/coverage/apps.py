from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "readingroom.coverage"
    label = "coverage"
    verbose_name = "Coverage"
