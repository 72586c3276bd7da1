from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The three kinds of users; each is a Django group of the same name."""

    COORDINATOR = "coordinator", _("Training coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")


class UserManager(DjangoUserManager["User"]):
    use_in_migrations = True

    def _create_user_email(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":  # type: ignore[override]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_email(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":  # type: ignore[override]
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user_email(email, password, **extra)


class ExportDelimiter(models.TextChoices):
    """What separates the cells of a CSV export: Excel in Polish, German and other locales expects ``;``."""

    COMMA = ",", _("Comma (,)")
    SEMICOLON = ";", _("Semicolon (;), for Excel in Polish, German and other languages")


def erased_label(number: object) -> str:
    """How an erased person is shown everywhere: a label and a short number that stays the same (the id)."""
    return gettext("Erased person %(number)s") % {"number": number}


class User(AbstractUser):
    """A person who signs in with their email address; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    # The person's language: their pages, e-mails, certificates and exports (accounts.languages).
    # Blank: not chosen (the browser's language, then English). The roster and the API call it
    # preferred_language.
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # Remembered from the person's last CSV export (accounts.exports.export_delimiter); blank: not
    # chosen, the custom of their language.
    export_delimiter = models.CharField(
        _("CSV export delimiter"), max_length=1, choices=ExportDelimiter.choices, blank=True
    )

    # The grace period for a second factor counts from here (accounts.second_factor).
    first_login_at = models.DateTimeField(_("first signed in"), null=True, blank=True, editable=False)
    # Set when the person was erased (privacy.services.person_erase): the row stays, so that what they
    # did keeps its place in counts and timelines, under an anonymous label.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        # set_password() keeps the raw password until the save; Django's save then clears it.
        new_password = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if new_password:
            from accounts.services import api_tokens_revoke  # services import this module

            api_tokens_revoke(user=self)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_full_name(self) -> str:
        # The account stays after erasure (privacy.services.person_erase) so that counts keep their
        # numbers; every name printed through here becomes the anonymous label.
        if self.erased_at is not None:
            return erased_label(self.pk)
        return super().get_full_name()

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return erased_label(self.pk)
        return super().get_short_name()
