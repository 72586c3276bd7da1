"""The person's own account page, and the language switcher's target."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from django.views.i18n import set_language

from accounts.forms import LanguageForm
from accounts.requests import acting_user
from accounts.services import user_language_set
from core.languages import ui_language
from core.middleware import language_cookie_set


@require_POST
def language_switch(request: HttpRequest) -> HttpResponseBase:
    """Django's ``set_language`` for the interface languages only; a signed-in person's choice is saved.

    Another language (one whose interface is not complete, or none of ours) changes nothing: the page
    comes back as it was.
    """
    language = ui_language(request.POST.get("language"))
    response = set_language(request)
    if language is None:
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response
    if request.user.is_authenticated:
        user_language_set(user=acting_user(request), language=language)
    return response


class AccountView(LoginRequiredMixin, FormView):
    """Who one is signed in as, and one's language (the profile page posts here too)."""

    template_name = "accounts/account.html"
    form_class = LanguageForm
    extra_context = {"section": "account"}

    def get_initial(self) -> dict[str, Any]:
        return {"language": acting_user(self.request).language}

    def form_valid(self, form: LanguageForm) -> HttpResponse:
        user = user_language_set(user=acting_user(self.request), language=form.cleaned_data["language"])
        shown = ui_language(user.language)
        if shown:
            translation.activate(shown)  # the message below is in the new language
        messages.success(self.request, _("Your language is saved."))
        wanted = form.cleaned_data.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        response = HttpResponseRedirect(wanted if wanted and safe else reverse("accounts:account"))
        if shown:
            language_cookie_set(response=response, language=shown)
        return response
