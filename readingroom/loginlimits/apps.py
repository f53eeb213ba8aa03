from django.apps import AppConfig


class LoginLimitsConfig(AppConfig):
    name = "readingroom.loginlimits"
    label = "loginlimits"
    verbose_name = "Sign-in limits"
