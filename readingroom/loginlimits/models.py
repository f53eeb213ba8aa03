from django.db import models


class FailedLogin(models.Model):
    """One failed sign-in: counted to slow down password guessing."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="failed_login_username"),
            models.Index(fields=["address", "at"], name="failed_login_address"),
        ]
