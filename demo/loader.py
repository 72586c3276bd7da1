"""Load chapter 6 of the manual as demo data: content, a cohort, its people and a scheduled run.

Everything is written by the apps' own services, as a coordinator's clicks would be, so the demo
gets the same checks and side effects (schedule checks, cohort membership kept by enrolment, teams
confirmed by a facilitator): demo.curriculum, demo.people and demo.schedule, one step each. Each
object is found by its natural key, and an update service is called only with what differs from
the seed (demo.sync), so a second run writes nothing at all (not even ``updated_at``). Curriculum
content is brought back to the seed on each run; the cohort's dates, schedule, enrolments and
teams are only set when first created, so that ``make run`` never undoes a coordinator's changes.

Written directly, because no service covers them yet: handouts (exercises) and the reflection
questionnaire (reflections) in demo.curriculum, and the accounts' printed password in demo.people.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from demo import content, content_bg, content_de, content_pl, content_ro
from demo.curriculum import (
    administer_questionnaire,
    load_agencies,
    load_course,
    load_exercise,
    load_objectives,
    load_questionnaire,
)
from demo.people import load_people
from demo.schedule import load_cohort, load_enrolments, load_run, load_sessions
from demo.sync import Tally

_PASSWORD_LABEL = b"concord-demo-password"
_SALT_LABEL = b"concord-demo-password-salt"


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# The seed's exercise in the platform's other languages (demo/content_<language>.py).
VARIANTS = (
    (content_pl.EXERCISE_PL, "pl"),
    (content_de.EXERCISE_DE, "de"),
    (content_ro.EXERCISE_RO, "ro"),
    (content_bg.EXERCISE_BG, "bg"),
)


def demo_password() -> str:
    """The one password of every demo account, derived from SECRET_KEY so that reruns agree."""
    return _derive(_PASSWORD_LABEL)[:16].lower()


def _derive(label: bytes) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=")


def _demo_password_hash(password: str) -> str:
    # A fixed salt makes the encoded hash reproducible: comparing strings tells whether an account
    # already has the demo password, without hashing once per account (slow with PBKDF2).
    return make_password(password, salt=_derive(_SALT_LABEL)[:26])


@dataclass
class DemoResult:
    password: str
    cohort_slug: str
    exercise_slug: str
    login_url: str = ""
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, role label)
    tally: Tally = field(default_factory=Tally)

    @property
    def changed(self) -> bool:
        return self.tally.changed

    def summary_lines(self) -> list[str]:
        tally = self.tally
        lines = [_("Concord demo data: chapter 6, inter-agency cooperation")]
        for label in tally.labels():
            lines.append(
                "  "
                + _("%(label)s: %(total)d (%(created)d created, %(updated)d updated)")
                % {
                    "label": label,
                    "total": tally.count(label),
                    "created": tally.created[label],
                    "updated": tally.updated[label],
                }
            )
        if not self.changed:
            lines.append(_("Nothing changed: the demo data was already loaded."))
        lines.append("")
        lines.append(_("Demo accounts: log in at %(url)s with one of") % {"url": self.login_url})
        lines.extend(f"  {email}  ({role})" for email, role in self.logins)
        lines.append(_("Password of every demo account: %(password)s") % {"password": self.password})
        return lines


# ---------------------------------------------------------------------------------------------


def demo_load(*, stdout: Writer | None = None) -> DemoResult:
    """Load (or bring up to date) the whole demo in one transaction; safe to run any number of times."""
    result = DemoResult(
        password=demo_password(),
        cohort_slug=content.COHORT.slug,
        exercise_slug=content.EXERCISE.slug,
        login_url=settings.SITE_URL.rstrip("/") + reverse("account_login"),
    )
    tally = result.tally
    with transaction.atomic():
        objectives = load_objectives(tally)
        agencies = load_agencies(tally)
        exercise = load_exercise(tally, objectives)
        # Its language variants: participants read their team's briefing in their own language.
        for variant, language in VARIANTS:
            load_exercise(tally, objectives, variant, language=language, variant_of=exercise)
        questionnaire = load_questionnaire(tally, exercise)
        course = load_course(tally, objectives, exercise)
        people = load_people(tally, agencies, password_hash=_demo_password_hash(result.password))
        result.logins = people.logins
        cohort = load_cohort(tally, course, people.coordinator, people.facilitators)
        sessions = load_sessions(tally, cohort)
        enrolments = load_enrolments(tally, cohort, people.participants, people.coordinator)
        run = load_run(tally, exercise, cohort, sessions, people.facilitators[0], enrolments)
        administer_questionnaire(tally, questionnaire, run, people.facilitators[0])
    # Printed after the commit: a closed pipe (``load_demo | head``) must not undo the load.
    if stdout is not None:
        for line in result.summary_lines():
            stdout.write(line + "\n")
    return result
