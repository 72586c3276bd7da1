"""API sign-in: exchange email and password for a token, at a limited rate."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenLoginSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Email"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)
    token = serializers.CharField(label=_("Token"), read_only=True)

    def validate(self, attrs: dict) -> dict:
        from django.contrib.auth import authenticate

        user = authenticate(request=self.context.get("request"), email=attrs["email"], password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(_("Unable to sign in with these credentials."), code="authorization")
        attrs["user"] = user
        return attrs


class TokenLoginView(ObtainAuthToken):
    """Password guessing is slowed by a per-client rate limit (settings: ``token_login``)."""

    serializer_class = TokenLoginSerializer
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token_login"

    @extend_schema(request=TokenLoginSerializer, responses=TokenLoginSerializer)
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().post(request, *args, **kwargs)
