"""What the accessibility walks share: axe-core in the page, screenshots, the world's pages role by role.

axe-core comes from the pinned ``axe-playwright-python`` package (its bundled ``axe.min.js``). Playwright's
``evaluate`` runs it through the DevTools protocol, so the Content-Security-Policy stays on while we test.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings

from tests.walk_certificates import certificate_of
from tests.walk_jobs import _job
from tests.walk_reflections_answer import _administration
from tests.walk_rooms import _room_objects
from tests.world import World

PASSWORD = "concord-pass-1"  # the factories' password
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
# WCAG 2.0-2.2 A and AA, and axe's best practices; the walk fails on the serious and critical ones.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
ARTIFACTS = Path(os.environ.get("CONCORD_TEST_ARTIFACTS", Path(settings.BASE_DIR) / "test-artifacts"))


def axe_violations(page: Any, *, rules: list[str] | None = None) -> list[str]:
    """The page's serious and critical axe violations, one line per rule: id, impact, help and the nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    else:
        options["runOnly"] = {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


def screenshot(page: Any, *, lang: str, size: str, name: str) -> None:
    """test-artifacts/screenshots/<lang>/<size>/<name>.png (git-ignored; CI keeps the folder)."""
    path = ARTIFACTS / "screenshots" / lang / size / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")


def sign_in(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")  # in any language
    page.wait_for_url(f"{base_url}/")


@dataclass(frozen=True)
class Visit:
    name: str  # the screenshot's name
    path: str
    status: int = 200


def _paths(w: World) -> dict[str, Callable[[], Visit]]:
    """Every page of the walk, built lazily (each builds the objects it shows once per world)."""
    run, cohort, team = w.run, w.cohort, w.team
    return {
        "dashboard": lambda: Visit("dashboard", "/"),
        "cohorts": lambda: Visit("cohorts", "/cohorts/"),
        "cohort": lambda: Visit("cohort", f"/cohorts/{cohort.slug}/"),
        "agenda": lambda: Visit("agenda", f"/cohorts/{cohort.slug}/agenda/"),
        "roster": lambda: Visit("roster", f"/cohorts/{cohort.slug}/roster/"),
        "attendance": lambda: Visit("attendance", f"/sessions/{w.session.pk}/attendance/"),
        "courses": lambda: Visit("courses", "/courses/"),
        "course": lambda: Visit("course", f"/courses/{w.course.slug}/"),
        "objectives": lambda: Visit("objectives", "/objectives/"),
        "exercises": lambda: Visit("exercises", "/exercises/"),
        "exercise-guide": lambda: Visit("exercise-guide", f"/exercises/{w.exercise.slug}/"),
        "run": lambda: Visit("run", f"/runs/{run.pk}/"),
        "console": lambda: Visit("console", f"/runs/{run.pk}/console/"),
        "team-room": lambda: Visit("team-room", f"/runs/{run.pk}/teams/{team.pk}/"),
        "team-message": lambda: Visit(
            "team-message", f"/runs/{run.pk}/teams/{team.pk}/messages/{_room_objects(w).message.pk}/"
        ),
        "cell-room": lambda: Visit("cell-room", f"/runs/{run.pk}/cell/"),
        "timeline": lambda: Visit("timeline", f"/runs/{run.pk}/timeline/"),
        "summary": lambda: Visit("summary", f"/runs/{run.pk}/summary/"),
        "reflections-answer": lambda: Visit("reflections-answer", f"/reflections/answer/{_administration(w).pk}/"),
        "reflections-results": lambda: Visit(
            "reflections-results", f"/reflections/administrations/{_administration(w).pk}/results/"
        ),
        "certificates": lambda: Visit("certificates", f"/cohorts/{cohort.slug}/certificates/"),
        "certificate": lambda: Visit("certificate", f"/certificates/{certificate_of(w).pk}/"),
        "verify": lambda: Visit("verify", "/certificates/verify/"),
        "run-report": lambda: Visit("run-report", f"/runs/{run.pk}/report/"),
        "cohort-report": lambda: Visit("cohort-report", f"/cohorts/{cohort.slug}/report/"),
        "actions": lambda: Visit("actions", "/actions/"),
        "programme": lambda: Visit("programme", "/programme/"),
        "jobs": lambda: Visit("jobs", "/jobs/"),
        "job": lambda: Visit("job", f"/jobs/{_job(w).pk}/"),
        "profile": lambda: Visit("profile", "/me/"),
        "calendar": lambda: Visit("calendar", "/calendar/"),
        "password": lambda: Visit("password", "/accounts/password/change/"),
        "sign-in": lambda: Visit("sign-in", "/accounts/login/"),
        "password-reset": lambda: Visit("password-reset", "/accounts/password/reset/"),
        "privacy": lambda: Visit("privacy", "/privacy/"),
        "my-data": lambda: Visit("my-data", "/account/data/"),
        "person-data": lambda: Visit("person-data", f"/people/{w.users['participant'].pk}/data/"),
        "person-erase": lambda: Visit("person-erase", f"/people/{w.users['participant'].pk}/erase/"),
        "retention": lambda: Visit("retention", f"/cohorts/{cohort.slug}/retention/"),
        "not-found": lambda: Visit("not-found", "/cohorts/no-such-cohort/", 404),
        "no-such-page": lambda: Visit("not-found", "/no-such-page/", 404),
        # A page the role sees but may not open: the error must not say more than "forbidden".
        "forbidden-answer": lambda: Visit("forbidden", f"/reflections/answer/{_administration(w).pk}/", 403),
        "forbidden-policy": lambda: Visit("forbidden", f"/cohorts/{cohort.slug}/certificates/policy/", 403),
        "forbidden-cell": lambda: Visit("forbidden", f"/runs/{run.pk}/cell/", 403),
    }


_STAFF = [
    "dashboard",
    "cohorts",
    "cohort",
    "roster",
    "attendance",
    "courses",
    "course",
    "objectives",
    "exercises",
    "exercise-guide",
    "run",
    "console",
    "team-room",
    "team-message",
    "cell-room",
    "timeline",
    "summary",
    "reflections-results",
    "certificates",
    "certificate",
    "run-report",
    "cohort-report",
    "actions",
    "jobs",
    "calendar",
    "password",
    "my-data",
    "privacy",
    "not-found",
]

WALKS: dict[str, list[str]] = {
    "coordinator": [
        *_STAFF,
        "agenda",
        "programme",
        "forbidden-answer",
        "person-data",
        "person-erase",
        "retention",
    ],  # planning is theirs
    "facilitator": [*_STAFF, "job", "forbidden-policy"],
    "participant": [
        "dashboard",
        "cohorts",
        "cohort",
        "courses",
        "objectives",
        "run",
        "team-room",
        "team-message",
        "reflections-answer",
        "profile",
        "actions",
        "jobs",
        "my-data",
        "privacy",
        "not-found",
        "forbidden-cell",
    ],
    "anonymous": ["sign-in", "password-reset", "verify", "privacy", "no-such-page"],
}


def open_page(page: Any, base_url: str, visit: Visit) -> None:
    """Go to the visit's page and insist on its status (a redirect to sign-in would pass axe unnoticed)."""
    response = page.goto(f"{base_url}{visit.path}")
    status = response.status if response is not None else None
    assert status == visit.status, f"{visit.path} answered {status}, not {visit.status}"


def walk(world: World, role: str, *, keys: list[str] | None = None) -> list[Visit]:
    """The role's pages (``WALKS``), or only ``keys`` of them."""
    paths = _paths(world)
    return [paths[key]() for key in (keys if keys is not None else WALKS[role])]
