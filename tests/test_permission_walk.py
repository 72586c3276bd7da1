"""Walk every URL pattern of the project and check what each role gets from a GET.

The table below is the answer we expect, role by role. A pattern that is neither in the table
nor in the explained skip-list fails the test: a new URL cannot slip in unchecked.
Objects are addressed from the ``world`` fixture: cohort A (ours) and cohort B (another course,
another facilitator, another participant). Lists answer 200 to everyone signed in and are
filtered by ``visible_to``; an object a role may not see answers 404, never 403.
"""

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

LOGIN = "redirect to login"
ADMIN_LOGIN = "redirect to admin login"
DASHBOARD = "redirect to dashboard"
HOME = "redirect to /"
CHANGE_PASSWORD = "redirect to change password"
REFUSED = 401  # DRF asks anonymous users to authenticate (token first, so 401 with WWW-Authenticate)

# Columns follow ROLES:
# anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
COHORT_A = (LOGIN, 404, 200, 404, 200, 200)  # cohort A, its course, sessions and runs
STAFF_OF_A = (LOGIN, 404, 404, 404, 200, 200)  # cohort A's roster, the guide of its exercise
PUBLIC = (200, 200, 200, 200, 200, 200)

API_SIGNED_IN = (REFUSED, 200, 200, 200, 200, 200)
API_COHORT_A = (REFUSED, 404, 200, 404, 200, 200)
API_STAFF_OF_A = (REFUSED, 404, 404, 404, 200, 200)
API_PERSON_A = (REFUSED, 404, 200, 404, 200, 200)  # participant A's profile and enrolment

PAGES: dict[str, tuple[Any, ...]] = {
    "dashboard": SIGNED_IN,
    "trainings:objective_list": SIGNED_IN,
    "trainings:course_list": SIGNED_IN,
    "portal:course_detail": COHORT_A,
    "trainings:cohort_list": SIGNED_IN,
    "portal:cohort_detail": COHORT_A,
    "participants:cohort_roster": STAFF_OF_A,  # the people of cohort A: its staff only
    "exercises:exercise_list": SIGNED_IN,
    "exercises:exercise_detail": STAFF_OF_A,
    "exercises:run_detail": COHORT_A,
    # Only people with a participant profile have one to show.
    "participants:me": (LOGIN, 200, 200, 404, 404, 404),
    "healthz": PUBLIC,
}

ACCOUNTS: dict[str, tuple[Any, ...]] = {
    # Signed-in people are sent on to their dashboard.
    "account_login": (200, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    # GET asks "are you sure?"; somebody not signed in has nothing to sign out of.
    "account_logout": (HOME, 200, 200, 200, 200, 200),
    "account_inactive": PUBLIC,
    # Sign-up is closed (accounts.adapters.AccountAdapter): the page says so.
    "account_signup": (200, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    "account_reauthenticate": SIGNED_IN,
    # Codes by email are off: the code pages send people back to the password flows.
    "account_request_reauthentication_code": (LOGIN, *(("redirect to /accounts/reauthenticate/",) * 5)),
    "account_confirm_reauthentication_code": (LOGIN, *(("redirect to /accounts/reauthenticate/code/",) * 5)),
    "account_confirm_login_code": (LOGIN, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    "account_email": SIGNED_IN,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,  # an unknown key shows "expired or invalid"
    "account_change_password": SIGNED_IN,
    # Everyone here has a password already: setting one sends them to change it.
    "account_set_password": (
        LOGIN,
        CHANGE_PASSWORD,
        CHANGE_PASSWORD,
        CHANGE_PASSWORD,
        CHANGE_PASSWORD,
        CHANGE_PASSWORD,
    ),
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,  # a bad token shows "bad token"
    "account_reset_password_from_key_done": PUBLIC,
}

ADMIN: dict[str, tuple[Any, ...]] = {
    # None of the six roles is Django staff; the admin sends them to its own login.
    "admin:index": (ADMIN_LOGIN,) * 6,
    # The admin signs people in through allauth's page (rate-limited); signed-in non-staff are refused.
    "admin:login": (LOGIN, 403, 403, 403, 403, 403),
}

API: dict[str, tuple[Any, ...]] = {
    "api:api-root": API_SIGNED_IN,
    "api:agency-list": API_SIGNED_IN,
    "api:agency-detail": API_SIGNED_IN,
    "api:learningobjective-list": API_SIGNED_IN,
    "api:learningobjective-detail": API_SIGNED_IN,
    "api:course-list": API_SIGNED_IN,
    "api:course-detail": API_COHORT_A,
    "api:cohort-list": API_SIGNED_IN,
    "api:cohort-detail": API_COHORT_A,
    "api:session-list": API_SIGNED_IN,
    "api:session-detail": API_COHORT_A,
    "api:exercise-list": API_SIGNED_IN,
    "api:exercise-detail": API_STAFF_OF_A,
    "api:exerciserun-list": API_SIGNED_IN,
    "api:exerciserun-detail": API_COHORT_A,
    "api:participant-list": API_SIGNED_IN,
    "api:participant-detail": API_PERSON_A,
    "api:enrolment-list": API_SIGNED_IN,
    "api:enrolment-detail": API_PERSON_A,
    # Token login only answers POST; the schema and its docs page are for signed-in people.
    "api_token": (405,) * 6,
    # Your own API tokens; a key that is not one of yours (here: not a token at all) answers 404.
    "api_tokens": API_SIGNED_IN,
    "api_token_detail": (REFUSED, 404, 404, 404, 404, 404),
    "api_schema": API_SIGNED_IN,
    "api_docs": API_SIGNED_IN,
}

EXPECTED: dict[str, tuple[Any, ...]] = {**PAGES, **ACCOUNTS, **ADMIN, **API}

# The objects that URLs with a pk or slug address, by URL name (API names by router basename).
TARGETS: dict[str, Callable[[World], Any]] = {
    "portal:course_detail": lambda w: w.course,
    "portal:cohort_detail": lambda w: w.cohort,
    "participants:cohort_roster": lambda w: w.cohort,
    "exercises:exercise_detail": lambda w: w.exercise,
    "exercises:run_detail": lambda w: w.run,
}
API_TARGETS: dict[str, Callable[[World], Any]] = {
    "agency": lambda w: w.agency,
    "learningobjective": lambda w: w.objective,
    "course": lambda w: w.course,
    "cohort": lambda w: w.cohort,
    "session": lambda w: w.session,
    "exercise": lambda w: w.exercise,
    "exerciserun": lambda w: w.run,
    "participant": lambda w: w.participant,
    "enrolment": lambda w: w.enrolment,
}
# Tokens in links from emails: unknown values must render the "invalid link" page, not fail.
# A certificate's verification code: an unknown one answers 404 to everyone (certificates' own tests
# check a real one).
TOKENS = {"key": "not-a-real-key", "uidb36": "zz", "code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}


def _admin_skips() -> dict[str, str]:
    """Admin pages beyond the index and login: Django's admin checks staff and model permissions itself."""
    reason = "Django admin page for staff: guarded by the admin's own staff and model permissions"
    names = {
        "admin:logout",
        "admin:password_change",
        "admin:password_change_done",
        "admin:autocomplete",
        "admin:jsi18n",
        "admin:view_on_site",
        "admin:app_list",
        "admin:auth_user_password_change",
        "admin:None",  # unnamed: the object-id redirect and the catch-all that answers 404
    }
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        names.update(f"{label}_{action}" for action in ("changelist", "add", "history", "delete", "change"))
    return dict.fromkeys(names, reason)


SKIPPED: dict[str, str] = {
    **_admin_skips(),
    "api:learningobjective-retire": "write action (POST), outside this read-only walk; see the API's tests",
    "api:enrolment-change-status": "write action (POST), outside this read-only walk; see the API's tests",
}


def _merge_topic_tables() -> None:
    """Each feature keeps its URLs' expectations in its own ``tests/walk_<topic>.py`` module.

    Such a module may define EXPECTED, TARGETS, API_TARGETS and SKIPPED, shaped like the tables here.
    """
    for path in sorted(Path(__file__).parent.glob("walk_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for table, name in (
            (EXPECTED, "EXPECTED"),
            (TARGETS, "TARGETS"),
            (API_TARGETS, "API_TARGETS"),
            (SKIPPED, "SKIPPED"),
        ):
            extra = getattr(module, name, {})
            clash = set(extra) & set(table)
            assert not clash, f"{path.name} repeats {name} entries: {sorted(clash)}"
            table.update(extra)


_merge_topic_tables()


def _patterns(
    resolver: URLResolver | None = None, namespace: str = "", keys: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every (full URL name, its keyword arguments) of the URLconf, nested includes and namespaces too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        entry_keys = keys + _pattern_keys(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner, entry_keys)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry_keys


def _pattern_keys(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _walked() -> list[tuple[str, tuple[str, ...]]]:
    return [(name, keys) for name, keys in _patterns() if name not in SKIPPED]


def _target(name: str, world: World) -> Any:
    if name in TARGETS:
        return TARGETS[name](world)
    if name.startswith("api:"):
        route = name.removeprefix("api:")
        for basename in sorted(API_TARGETS, key=len, reverse=True):
            if route.startswith(f"{basename}-"):
                return API_TARGETS[basename](world)
    raise AssertionError(f"{name}: no object in the world for its URL arguments; add it to TARGETS")


def _url(name: str, keys: tuple[str, ...], world: World) -> str:
    kwargs: dict[str, Any] = {}
    for key in keys:
        if key in TOKENS:
            kwargs[key] = TOKENS[key]
        elif key != "format":  # pk, slug, or a target's own key (e.g. observation_pk)
            kwargs[key] = getattr(_target(name, world), key)
    if "format" not in keys:
        return reverse(name, kwargs=kwargs or None)
    # DRF's format-suffix patterns: a regex group wants "json", the path converter ".json".
    for suffix in ("json", ".json"):
        try:
            return reverse(name, kwargs={**kwargs, "format": suffix})
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: cannot reverse its format-suffix pattern")


def _outcome(response: Any) -> Any:
    if response.status_code in (301, 302):
        path = urlparse(response["Location"]).path
        if path == reverse("account_login"):
            return LOGIN
        if path == reverse("admin:login"):
            return ADMIN_LOGIN
        if path == reverse("dashboard"):
            return DASHBOARD if response.wsgi_request.path != reverse("account_logout") else HOME
        if path == reverse("account_change_password"):
            return CHANGE_PASSWORD
        return f"redirect to {path}"
    return response.status_code


def _matches(expected: Any, actual: Any) -> bool:
    return expected == actual


def test_every_url_pattern_has_an_expectation_or_an_explained_skip():
    unchecked = sorted({name for name, _ in _walked() if name not in EXPECTED})
    assert not unchecked, f"URL patterns with no expected answer in the permission walk: {unchecked}"


def test_the_table_names_only_patterns_that_exist():
    existing = {name for name, _ in _patterns()}
    stale = sorted(set(EXPECTED) - existing)
    assert not stale, f"expectations for URL names that no longer exist: {stale}"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
    assert not set(SKIPPED) & set(EXPECTED), "a pattern is both skipped and expected"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(world: World, role: str):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    column = ROLES.index(role)
    wrong = []
    checked = 0
    for name, keys in _walked():
        if name not in EXPECTED:
            continue  # reported by the coverage test above
        url = _url(name, keys, world)
        actual = _outcome(client.get(url))
        expected = EXPECTED[name][column]
        checked += 1
        if not _matches(expected, actual):
            wrong.append(f"{name} {url}: expected {expected!r}, got {actual!r}")
    assert checked >= len(EXPECTED)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_staff_reach_the_admin_index_that_the_six_roles_are_sent_away_from(client):
    client.force_login(User.objects.create_superuser(email="admin@world.test", password="x-long-pass-1"))
    assert client.get(reverse("admin:index")).status_code == 200
