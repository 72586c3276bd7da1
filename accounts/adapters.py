import base64
import hashlib
from typing import Any

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts.languages import user_language
from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    """People are invited by coordinators; nobody signs themselves up. allauth's e-mails (the password
    reset) go out in the recipient's language."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        # Nobody with that address: the language the request was answered in.
        with translation.override(user_language(user, fallback=translation.get_language())):
            super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (Fernet, a key derived from SECRET_KEY); the QR code is drawn
    with segno, the QR library the certificates use."""

    def build_totp_svg(self, url: str) -> str:
        return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"concord.mfa:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))
