from django.db import models


class FailedLogin(models.Model):
    """One failed sign-in: counted to slow down password guessing."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    # What the address counts as: itself for IPv4, its /64 for IPv6 (see client_network).
    network = models.CharField(max_length=64, default="unknown")
    # The random id of a known browser that made the attempt, if it was one.
    browser = models.CharField(max_length=32, blank=True)
    # False once the owner signed in from that client or used a reset link: kept to report, not
    # counted towards a wait.
    counts = models.BooleanField(default=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="failed_login_username"),
            models.Index(fields=["address", "at"], name="failed_login_address"),
            models.Index(fields=["network", "at"], name="failed_login_network"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address or 'an unknown address'} at {self.at:%Y-%m-%d %H:%M:%S}"
