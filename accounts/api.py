"""API tokens: sign in with email and password for a token that expires; list and revoke your own.

Tokens are django-rest-knox's: only a digest is stored, each expires (``REST_KNOX["TOKEN_TTL"]``),
and a password change revokes all of the account's tokens (``accounts.signals``).
"""

from typing import Any

from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import api_token_list
from accounts.services import api_token_create, api_tokens_revoke
from accounts.throttling import TokenLoginAccountThrottle, TokenLoginClientThrottle


class TokenLoginSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Email"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)

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


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("Token"), help_text=_("Shown once: only a digest of it is kept."))
    expiry = serializers.DateTimeField(label=_("Expires at"), allow_null=True)


class TokenSerializer(serializers.ModelSerializer):
    token_key = serializers.CharField(
        label=_("Token key"), read_only=True, help_text=_("The token's first characters: they name it here.")
    )
    current = serializers.SerializerMethodField(label=_("Used by this request"))

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "current"]
        read_only_fields = fields

    def get_current(self, token: AuthToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class TokenLoginView(APIView):
    """Password guessing is slowed per client address, per account, and by allauth's failed-login limit."""

    # Credentials come in the body; no session is read or written (nor is a CSRF token needed).
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (TokenLoginClientThrottle, TokenLoginAccountThrottle)
    serializer_class = TokenLoginSerializer

    @extend_schema(request=TokenLoginSerializer, responses=NewTokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenLoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, token = api_token_create(user=serializer.validated_data["user"])
        return Response(NewTokenSerializer({"token": token, "expiry": instance.expiry}).data)


def _own_tokens(view: generics.GenericAPIView) -> Any:
    if getattr(view, "swagger_fake_view", False):  # the schema generator asks anonymously
        return AuthToken.objects.none()
    return api_token_list(user=_signed_in(view.request))


def _signed_in(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):  # IsAuthenticated has refused anonymous requests already
        raise exceptions.NotAuthenticated
    return user


class TokenListView(generics.ListAPIView):
    """Your own API tokens that still work; DELETE revokes them all (this request's token too)."""

    serializer_class = TokenSerializer

    def get_queryset(self) -> Any:
        return _own_tokens(self)

    @extend_schema(operation_id="auth_tokens_revoke_all", responses={204: None})
    def delete(self, request: Request) -> Response:
        api_tokens_revoke(user=_signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(generics.RetrieveDestroyAPIView):
    """One of your own API tokens, by its key; DELETE revokes it. Other people's tokens answer 404."""

    serializer_class = TokenSerializer
    lookup_url_kwarg = "key"

    def get_queryset(self) -> Any:
        return _own_tokens(self)

    @extend_schema(operation_id="auth_tokens_revoke")
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().delete(request, *args, **kwargs)

    def get_object(self) -> AuthToken:
        # Keys are 15 random hex digits, unique among one person's tokens in practice (not enforced).
        token = self.get_queryset().filter(token_key=self.kwargs["key"]).first()
        if token is None:
            raise Http404
        return token

    def perform_destroy(self, instance: AuthToken) -> None:
        api_tokens_revoke(user=_signed_in(self.request), token_key=instance.token_key)
