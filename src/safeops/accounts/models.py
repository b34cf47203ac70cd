"""Login accounts and API tokens. A person's role and assignments live in safeops.staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login. Its role comes from the linked staff.Person (user.person)."""

    def __str__(self) -> str:
        """The person's name, as pages show it ("Ana Ruiz", not the login name "demo-sa");
        identities in records and logs use get_username(), never this."""
        full = self.get_full_name()
        if full:
            return full
        person = getattr(self, "person", None)  # None when no staff.Person is linked
        return str(getattr(person, "full_name", "")) or self.get_username()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=8, help_text="First characters of the token, to recognise it."
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
