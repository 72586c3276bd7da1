"""Languages chosen and applied: the interface language of a request, the switcher, sign-in, the account
and profile pages, e-mails in the recipient's language, and the export delimiter of each language."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.exports import export_delimiter
from accounts.languages import user_language
from accounts.models import User
from accounts.tests.factories import CoordinatorFactory, UserFactory
from core.languages import request_language, ui_languages
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

ALL = ["en", "pl", "de", "ro", "bg"]
PASSWORD = "concord-pass-1"


@pytest.fixture
def every_language(settings):  # type: ignore[no-untyped-def]
    settings.CONCORD_UI_LANGUAGES = ALL


def _lang(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(rb'<html lang="([^"]+)"', response.content)
    assert match, "the page has no <html lang>"
    return match.group(1).decode()


# --- the interface language of a request ------------------------------------------------------------


def test_the_persons_choice_then_the_cookie_then_the_browser(every_language):
    assert request_language(chosen="ro", cookie="de", accept="bg,pl;q=0.5") == "ro"
    assert request_language(chosen="", cookie="de", accept="bg,pl;q=0.5") == "de"
    assert request_language(chosen="", cookie="", accept="fr,pl;q=0.8,bg;q=0.5") == "pl"  # by weight
    assert request_language(chosen="", cookie="xx", accept="pl-PL") == "pl"
    assert request_language(chosen="", cookie="", accept="fr") == "en"


def test_only_interface_languages_are_ever_chosen(settings):
    settings.CONCORD_UI_LANGUAGES = ["en", "de"]
    assert request_language(chosen="ro", cookie="pl", accept="bg,de;q=0.1") == "de"
    assert request_language(chosen="ro", cookie="pl", accept="bg") == "en"


def test_a_signed_in_persons_language_wins_over_cookie_and_browser_on_a_page(client, every_language):
    user = UserFactory(language="ro")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.get(reverse("dashboard"), headers={"accept-language": "bg"})
    assert _lang(response) == "ro"
    assert response["Content-Language"] == "ro"


def test_without_a_choice_the_cookie_wins_over_the_browser(client, every_language):
    client.force_login(UserFactory(language=""))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert _lang(client.get(reverse("dashboard"), headers={"accept-language": "bg"})) == "de"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert _lang(client.get(reverse("dashboard"), headers={"accept-language": "bg"})) == "bg"


def test_a_persons_language_without_a_complete_catalogue_is_not_declared(client, settings):
    settings.CONCORD_UI_LANGUAGES = ["en", "pl"]
    client.force_login(UserFactory(language="ro"))
    assert _lang(client.get(reverse("dashboard"), headers={"accept-language": "pl"})) == "pl"
    assert _lang(client.get(reverse("dashboard"), headers={"accept-language": "ro"})) == "en"


def test_the_page_is_really_in_its_declared_language(client, every_language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="pl">' in page
    with translation.override("pl"):
        assert translation.gettext("Skip to main content") in page


# --- the switcher ----------------------------------------------------------------------------------


def _switcher(page: str) -> str:
    match = re.search(r'<form class="language-switcher".*?</form>', page, re.S)
    assert match, "no language switcher"
    return match.group(0)


def test_the_sign_in_page_has_a_switcher_of_the_interface_languages_in_their_own_names(client, settings):
    settings.CONCORD_UI_LANGUAGES = ["en", "pl", "ro", "bg"]
    form = _switcher(client.get(reverse("account_login")).content.decode())
    assert f'action="{reverse("set_language")}"' in form
    assert 'name="next" value="/accounts/login/"' in form
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)</option>', form)
    assert options == [
        ("en", "en", "English"),
        ("pl", "pl", "Polski"),
        ("ro", "ro", "Română"),
        ("bg", "bg", "Български"),
    ]
    assert '<button type="submit">' in form
    assert re.search(r'<label for="language-switcher-select">', form)


def test_every_signed_in_page_has_the_switcher(client, every_language):
    user = ParticipantFactory().user
    client.force_login(user)
    for url in (reverse("dashboard"), reverse("participants:me"), reverse("accounts:account")):
        _switcher(client.get(url).content.decode())


def test_one_interface_language_needs_no_switcher(client, settings):
    settings.CONCORD_UI_LANGUAGES = ["en"]
    assert 'class="language-switcher"' not in client.get(reverse("account_login")).content.decode()
    assert [language.code for language in ui_languages()] == ["en"]


def test_the_switcher_sets_the_cookie_and_goes_back(client, every_language):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert _lang(client.get("/accounts/login/")) == "de"


def test_the_switcher_saves_a_signed_in_persons_choice(client, every_language):
    user = UserFactory(language="pl")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "bg", "next": reverse("dashboard")})
    assert response["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.language == "bg"
    assert _lang(client.get(reverse("dashboard"))) == "bg"


def test_the_switcher_refuses_other_languages_and_foreign_next(client, settings):
    settings.CONCORD_UI_LANGUAGES = ["en", "pl"]
    user = UserFactory(language="pl")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.language == "pl"
    assert client.get(reverse("set_language")).status_code == 405  # a GET changes nothing


# --- sign-in ---------------------------------------------------------------------------------------


def test_sign_in_applies_the_persons_language_and_keeps_it_in_the_cookie(every_language):
    user = UserFactory(email="ioana@example.org", language="ro")
    client = Client(headers={"accept-language": "de"})
    assert _lang(client.get(reverse("account_login"))) == "de"
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    assert _lang(client.get(reverse("dashboard"))) == "ro"
    client.post(reverse("account_logout"))
    assert _lang(client.get(reverse("account_login"))) == "ro"  # the cookie outlives the session


def test_sign_in_without_a_chosen_language_leaves_the_cookie_alone(every_language):
    user = UserFactory(language="")
    client = Client(headers={"accept-language": "bg"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert _lang(client.get(reverse("dashboard"))) == "bg"


# --- the account page and the profile ----------------------------------------------------------------


def test_staff_choose_their_language_on_the_account_page(client, every_language):
    coordinator = CoordinatorFactory(language="")
    client.force_login(coordinator)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="language"' in page
    response = client.post(reverse("accounts:account"), {"language": "de"})
    assert response["Location"] == reverse("accounts:account")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    coordinator.refresh_from_db()
    assert coordinator.language == "de"
    # Any language of LANGUAGES, even one whose interface is not complete: it is the e-mails' too.
    settings.CONCORD_UI_LANGUAGES = ["en"]
    client.post(reverse("accounts:account"), {"language": "bg"})
    coordinator.refresh_from_db()
    assert coordinator.language == "bg"
    assert client.post(reverse("accounts:account"), {"language": "xx"}).status_code == 200  # the form again
    coordinator.refresh_from_db()
    assert coordinator.language == "bg"


def test_participants_choose_it_on_their_profile_and_come_back_to_it(client, every_language):
    participant = ParticipantFactory(user__language="en")
    client.force_login(participant.user)
    me = reverse("participants:me")
    page = client.get(me).content.decode()
    assert f'action="{reverse("accounts:account")}"' in page
    assert f'name="next" value="{me}"' in page
    response = client.post(reverse("accounts:account"), {"language": "pl", "next": me})
    assert response["Location"] == me
    participant.user.refresh_from_db()
    assert participant.user.language == "pl"
    assert _lang(client.get(me)) == "pl"


def test_the_account_page_is_for_signed_in_people_only(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("accounts:account"), {"language": "pl"}).status_code == 302
    assert not User.objects.exclude(language="").exists()


def test_the_api_keeps_the_wire_name_preferred_language(api_client, coordinator):
    participant = ParticipantFactory(user__language="ro")
    api_client.force_authenticate(coordinator)
    url = f"/api/v1/participants/{participant.pk}/"
    assert api_client.get(url).json()["preferred_language"] == "ro"
    assert api_client.patch(url, {"preferred_language": "bg"}).status_code == 200
    participant.user.refresh_from_db()
    assert participant.user.language == "bg"
    ids = [row["id"] for row in api_client.get("/api/v1/participants/?preferred_language=bg").json()["results"]]
    assert ids == [participant.pk]


# --- e-mails -------------------------------------------------------------------------------------


def test_user_language_is_the_chosen_one_or_the_fallback_or_the_default():
    assert user_language(UserFactory.build(language="bg")) == "bg"
    assert user_language(UserFactory.build(language=""), fallback="pl") == "pl"
    assert user_language(UserFactory.build(language="")) == settings.LANGUAGE_CODE
    assert user_language(None) == settings.LANGUAGE_CODE


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_password_reset_email_is_in_the_recipients_language(client, language, monkeypatch):
    from allauth.account.adapter import DefaultAccountAdapter

    spoken = []
    original = DefaultAccountAdapter.send_mail

    def spy(self, template_prefix, email, context):  # type: ignore[no-untyped-def]
        spoken.append(translation.get_language())
        return original(self, template_prefix, email, context)

    monkeypatch.setattr(DefaultAccountAdapter, "send_mail", spy)
    UserFactory(email="reset@example.org", language=language)
    # The page is asked for in Bulgarian: the e-mail still follows the recipient.
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"}, headers={"accept-language": "bg"})
    assert spoken == [language]
    assert len(mail.outbox) == 1


def test_the_enrolment_email_is_in_each_recipients_language(monkeypatch):
    from participants import enrolment as module
    from participants.enrolment import enrolment_notification_send
    from participants.tests.factories import EnrolmentFactory

    rendered_in = []
    render = module.render_to_string

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        rendered_in.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(module, "render_to_string", spy)
    subjects = {}
    for language in ("pl", "de"):
        enrolment = EnrolmentFactory(participant__user__language=language)
        enrolment.participant.user.set_password(PASSWORD)
        enrolment.participant.user.save()
        mail.outbox.clear()
        assert enrolment_notification_send(enrolment=enrolment, event="enrolled")
        subjects[language] = mail.outbox[0].subject
        with translation.override(language):
            expected = translation.gettext("You are enrolled in %(cohort)s") % {"cohort": enrolment.cohort.name}
        assert subjects[language] == expected
    assert rendered_in == ["pl", "de"]


# --- exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "delimiter"), [("en", ","), ("pl", ";"), ("de", ";"), ("ro", ";"), ("bg", ";")])
def test_the_default_delimiter_follows_the_persons_language(language, delimiter):
    user = UserFactory(language=language, export_delimiter="")
    assert export_delimiter(user=user) == delimiter
    assert export_delimiter(user=user, requested="comma") == ","  # a choice wins, and is remembered
    assert export_delimiter(user=User.objects.get(pk=user.pk)) == ","


def test_without_a_chosen_language_the_delimiter_follows_the_page():
    user = UserFactory(language="", export_delimiter="")
    with translation.override("de"):
        assert export_delimiter(user=user) == ";"
    with translation.override("en"):
        assert export_delimiter(user=user) == ","


def test_a_polish_coordinators_schedule_export_uses_semicolons(client, world):
    user = world.users["coordinator"]
    user.language, user.export_delimiter = "pl", ""
    user.save()
    client.force_login(user)
    url = reverse("portal:cohort_schedule_export", kwargs={"slug": world.cohort.slug})
    first_line = client.get(url).content.decode("utf-8-sig").splitlines()[0]
    assert ";" in first_line
    assert "," not in first_line
