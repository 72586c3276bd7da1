"""API tokens: sign in with email and password for a token that expires; list and revoke your own.

Tokens are django-rest-knox's: only a digest is stored, each expires (``REST_KNOX["TOKEN_TTL"]``),
and a password change revokes all of the account's tokens (``accounts.signals``).
"""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.core import context
from allauth.mfa.base.forms import BaseAuthenticateForm
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
from accounts.second_factor import second_factor_active, second_factor_enforced
from accounts.selectors import api_token_list
from accounts.services import api_token_create, api_tokens_revoke, user_first_login_record, user_second_factor_reset
from accounts.throttling import TokenLoginAccountThrottle, TokenLoginClientThrottle


class TokenLoginSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Email"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)
    code = serializers.CharField(
        label=_("Second-factor code"),
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("A code from the authenticator app, or a recovery code: required once a second factor is set up."),
    )

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
        _check_second_factor(request, user, attrs.get("code", ""))
        attrs["user"] = user
        return attrs


def _check_second_factor(request: Request, user: User, code: str) -> None:
    """The password is not enough for an account with a second factor, nor for staff past their grace period."""
    if second_factor_active(user):
        if not code:
            raise serializers.ValidationError(
                {"code": [_("This account signs in with a second factor: send its code too.")]},
                code="second_factor_required",
            )
        # allauth's form checks the code (TOTP or recovery code), rate-limits and marks the code used.
        with context.request_context(request):
            form = BaseAuthenticateForm(data={"code": code}, user=user)
            if not form.is_valid():
                raise serializers.ValidationError({"code": form.errors["code"]}, code="second_factor_invalid")
    elif second_factor_enforced(user):
        raise serializers.ValidationError(
            _("Your role requires a second factor: set one up on the web first."), code="second_factor_required"
        )


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
        user = serializer.validated_data["user"]
        user_first_login_record(user=user)
        instance, token = api_token_create(user=user)
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


class SecondFactorResetSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=500)


class SecondFactorResetResultSerializer(serializers.Serializer):
    removed = serializers.IntegerField(label=_("Factors removed"))


class SecondFactorResetAPIView(APIView):
    """A coordinator resets another person's lost second factor: their factors, sessions and tokens end."""

    @extend_schema(request=SecondFactorResetSerializer, responses=SecondFactorResetResultSerializer)
    def post(self, request: Request, pk: int) -> Response:
        by = _signed_in(request)
        if not by.has_perm("accounts.change_user"):
            raise exceptions.PermissionDenied
        person = User.objects.filter(pk=pk, is_active=True).first()
        if person is None:
            raise Http404
        serializer = SecondFactorResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        removed = user_second_factor_reset(user=person, by=by, reason=serializer.validated_data["reason"])
        return Response(SecondFactorResetResultSerializer({"removed": removed}).data)
