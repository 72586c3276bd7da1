"""The demo writes through the apps' services, as a coordinator would, and only when something differs."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from io import StringIO
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Role, User
from accounts.services import user_grant_role
from core.exceptions import ApplicationError
from core.models import OutboxMessage
from demo import content, loader, schedule
from demo.loader import VARIANTS
from exercises import selectors as exercise_selectors
from exercises import services as exercise_services
from exercises.models import Exercise, ExerciseRun, Inject, Phase
from participants import services as participant_services
from participants.models import Enrolment
from portal import services as portal_services
from reflections import services as reflection_services
from trainings import services as training_services
from trainings.models import Cohort, LearningObjective
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

# The services the demo calls, by the module the demo imports them through (an app's ``services``,
# which may be a package re-exporting its topics).
MODULES: dict[str, ModuleType] = {
    "training_services": training_services,
    "portal_services": portal_services,
    "exercise_services": exercise_services,
    "exercise_selectors": exercise_selectors,
    "participant_services": participant_services,
    "accounts_services": accounts_services,
    "reflection_services": reflection_services,
}
CREATES = {
    "training_services": ("learning_objective_create", "agency_create", "course_create", "cohort_create"),
    "portal_services": ("session_create",),
    "exercise_services": ("exercise_create", "course_exercises_set", "exercise_run_create", "team_assignment_confirm"),
    "exercise_selectors": ("team_assignment_propose",),
    "participant_services": ("participant_create", "enrolment_create"),
    "accounts_services": ("user_get_or_create", "user_grant_role"),
    "reflection_services": ("administration_create",),
}
UPDATES = {
    "training_services": ("learning_objective_update", "agency_update", "course_update"),
    "portal_services": ("cohort_update", "session_update"),
    "exercise_services": ("exercise_update",),
    "participant_services": ("participant_update",),
}


class Calls(Counter[str]):
    kwargs: dict[str, list[dict[str, Any]]]


def _spy(name: str, original: Callable[..., Any], calls: Calls) -> Callable[..., Any]:
    def spy(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        calls.kwargs.setdefault(name, []).append(kwargs)
        return original(*args, **kwargs)

    return spy


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    counter = Calls()
    counter.kwargs = {}
    for spied in (CREATES, UPDATES):
        for module_name, names in spied.items():
            module = MODULES[module_name]
            for name in names:
                monkeypatch.setattr(module, name, _spy(f"{module_name}.{name}", getattr(module, name), counter))
    return counter


def _load() -> str:
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def test_everything_is_created_through_the_services(calls: Calls) -> None:
    _load()

    assert dict(calls) == {
        "training_services.learning_objective_create": 6,
        "training_services.agency_create": 35,
        "training_services.course_create": 1,
        "training_services.cohort_create": 1,
        "portal_services.session_create": 5,
        "exercise_services.exercise_create": 1 + len(VARIANTS),  # the exercise and its language variants
        "exercise_services.course_exercises_set": 1,
        "exercise_services.exercise_run_create": 1,
        "exercise_selectors.team_assignment_propose": 1,
        "exercise_services.team_assignment_confirm": 1,
        "participant_services.participant_create": 15,
        "participant_services.enrolment_create": 15,
        # The coordinator and two facilitators; participant_create gives participants their role.
        "accounts_services.user_get_or_create": 3,
        "accounts_services.user_grant_role": 3,
        # The seed's questionnaire, given to the demo run.
        "reflection_services.administration_create": 1,
    }
    # The demo sends no email.
    assert {kwargs["notify"] for kwargs in calls.kwargs["participant_services.enrolment_create"]} == {False}


def test_a_second_run_calls_no_update_service(calls: Calls) -> None:
    _load()
    calls.clear()

    _load()

    assert not any(name.split(".")[1] in UPDATES.get(name.split(".")[0], ()) for name in calls)
    # Only the look-up that also brings staff names up to date runs again.
    assert set(calls) == {"accounts_services.user_get_or_create"}


def test_the_demo_queues_no_email(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _load()

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_the_run_teams_are_confirmed_by_the_lead_facilitator() -> None:
    _load()

    run = ExerciseRun.objects.select_related("lead_facilitator", "teams_confirmed_by").get()
    assert run.teams_confirmed_at is not None
    assert run.teams_confirmed_by == run.lead_facilitator


def test_sessions_pass_the_schedule_checks() -> None:
    """Another cohort at the same venue has booked the demo's room for its first morning: refused, nothing saved."""
    tz = ZoneInfo(content.COHORT.time_zone)
    first_day = schedule.first_day(content.COHORT, timezone.localdate(timezone=tz))
    other = CohortFactory(venue=content.COHORT.venue, start_date=first_day, end_date=first_day)
    SessionFactory(
        cohort=other,
        room=content.COHORT.sessions[0].room,
        starts_at=dt.datetime.combine(first_day, dt.time(9, 0), tzinfo=tz),
        ends_at=dt.datetime.combine(first_day, dt.time(10, 0), tzinfo=tz),
    )

    with pytest.raises(ApplicationError, match="already booked"):
        loader.demo_load()

    assert not Cohort.objects.filter(slug=content.COHORT.slug).exists()
    assert not LearningObjective.objects.exists()


def test_rerun_restores_the_plan_keeping_its_rows_and_a_coordinators_additions() -> None:
    _load()
    exercise = Exercise.objects.get(slug=content.EXERCISE.slug)
    phases = {p.order: p.pk for p in exercise.phases.all()}
    Phase.objects.filter(exercise=exercise, order=2).update(planned_minutes=20, name="Edited")
    inject = Inject.objects.get(exercise=exercise, number=1)
    inject.target_roles.set(exercise.team_roles.filter(number=4))
    Phase.objects.create(exercise=exercise, order=5, name="Coffee", planned_minutes=10)

    output = _load()

    assert [(p.order, p.planned_minutes) for p in exercise.phases.order_by("order")] == [
        (1, 15),
        (2, 15),
        (3, 30),
        (4, 15),
        (5, 10),
    ]
    assert {p.order: p.pk for p in exercise.phases.all() if p.order < 5} == phases
    assert sorted(inject.target_roles.values_list("number", flat=True)) == [1, 2, 5]
    # With each language variant's four phases, three injects and one exercise, unchanged.
    assert f"phases: {5 + 4 * len(VARIANTS)} (0 created, 1 updated)" in output
    assert f"injects: {3 + 3 * len(VARIANTS)} (0 created, 1 updated)" in output
    assert f"exercises: {1 + len(VARIANTS)} (0 created, 1 updated)" in output


def test_rerun_gives_back_the_demo_staff_and_keeps_those_added() -> None:
    _load()
    cohort = Cohort.objects.get(slug=content.COHORT.slug)
    facilitator2 = User.objects.get(email="facilitator2@example.org")
    helper = user_grant_role(user=User.objects.create_user(email="helper@example.org"), role=Role.FACILITATOR)
    cohort.facilitators.remove(facilitator2)
    cohort.facilitators.add(helper)

    _load()

    assert set(cohort.facilitators.values_list("email", flat=True)) == {
        "facilitator1@example.org",
        "facilitator2@example.org",
        "helper@example.org",
    }


def test_a_withdrawn_demo_participant_stays_withdrawn() -> None:
    _load()
    enrolment = Enrolment.objects.get(participant__user__email="participant03@example.org")
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    output = _load()

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert "Nothing changed" in output
