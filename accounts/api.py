"""API sign-in: exchange email and password for a token, at a limited rate."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken

from accounts.throttling import TokenLoginAccountThrottle, TokenLoginClientThrottle


class TokenLoginSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Email"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)
    token = serializers.CharField(label=_("Token"), read_only=True)

    def validate(self, attrs: dict) -> dict:
        request = self.context["request"]
        # allauth's adapter counts failures under its "login_failed" limit, keyed on the email as
        # the HTML sign-in does: an account locked out there is locked out here, and the reverse.
        try:
            user = get_adapter(request).authenticate(request, email=attrs["email"], password=attrs["password"])
        except DjangoValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            raise exceptions.Throttled(detail=_("Too many failed sign-in attempts. Try again later.")) from error
        if user is None or not user.is_active:
            raise serializers.ValidationError(_("Unable to sign in with these credentials."), code="authorization")
        attrs["user"] = user
        return attrs


class TokenLoginView(ObtainAuthToken):
    """Password guessing is slowed per client address, per account, and by allauth's failed-login limit."""

    serializer_class = TokenLoginSerializer
    throttle_classes = (TokenLoginClientThrottle, TokenLoginAccountThrottle)

    @extend_schema(request=TokenLoginSerializer, responses=TokenLoginSerializer)
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().post(request, *args, **kwargs)
