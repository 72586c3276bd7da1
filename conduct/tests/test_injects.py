"""Releasing, skipping and writing injects (conduct.services.injects): every transition and refusal."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import InjectDelivery, InjectRelease
from conduct.tests.inject_helpers import InjectRun, inject_run
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun
from exercises.tests.factories import CellRoleFactory, InjectFactory, RunTeamFactory
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> InjectRun:
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    return made


def _state(run: ExerciseRun) -> tuple[int, int, int]:
    """What a refusal must leave as it was: releases, deliveries, the rooms' change counter."""
    version = ExerciseRun.objects.get(pk=run.pk).live_version
    return InjectRelease.objects.count(), InjectDelivery.objects.count(), version


def _refused(run: ExerciseRun, call: Any, *words: str) -> ApplicationError:
    before = _state(run)
    with pytest.raises(ApplicationError) as caught:
        call()
    assert _state(run) == before
    text = " ".join(caught.value.messages)
    for word in words:
        assert word in text, text
    return caught.value


def test_a_release_goes_to_the_teams_of_its_target_roles_and_records_who_when_and_the_phase(live):
    role = CellRoleFactory(exercise=live.run.exercise, name="The embassy")
    live.first.delivered_by = role
    live.first.save()
    version = ExerciseRun.objects.get(pk=live.run.pk).live_version
    at = timezone.now()

    release = services.inject_release(run=live.run, inject=live.first, by=live.by, now=at)

    release.refresh_from_db()
    assert (release.status, release.by, release.at, release.phase) == ("released", live.by, at, live.phases[0])
    assert (release.title, release.body, release.delivered_by) == ("Victims moved", live.first.body, role)
    assert (release.automatic, release.dependency_overridden) == (False, False)
    assert list(release.teams.all()) == [live.teams[0]]
    assert ExerciseRun.objects.get(pk=live.run.pk).live_version == version + 1


def test_an_inject_naming_no_role_goes_to_every_team_and_chosen_teams_override_the_default(live):
    services.inject_release(run=live.run, inject=live.first, by=live.by)
    everyone = services.inject_release(run=live.run, inject=live.second, by=live.by)
    assert set(everyone.teams.all()) == set(live.teams)
    chosen = services.inject_release(run=live.run, inject=live.third, teams=[live.teams[0]], by=live.by)
    assert list(chosen.teams.all()) == [live.teams[0]]


def test_a_paused_run_still_releases_by_hand(live):
    services.run_pause(run=live.run, by=live.by)
    assert services.inject_release(run=live.run, inject=live.first, by=live.by).status == "released"


def test_a_second_release_or_a_release_after_a_skip_is_refused_naming_when_and_who(live):
    services.inject_release(run=live.run, inject=live.first, by=live.by)
    error = _refused(
        live.run,
        lambda: services.inject_release(run=live.run, inject=live.first, by=live.by),
        "already released",
        str(live.by),
        "Nothing was changed",
    )
    assert error.message
    _refused(live.run, lambda: services.inject_skip(run=live.run, inject=live.first, by=live.by), "already released")
    services.inject_skip(run=live.run, inject=live.third, by=live.by)
    _refused(live.run, lambda: services.inject_release(run=live.run, inject=live.third, by=live.by), "already skipped")


def test_a_skip_records_who_and_delivers_nothing(live):
    skipped = services.inject_skip(run=live.run, inject=live.third, by=live.by)
    assert (skipped.status, skipped.by, skipped.teams.count()) == ("skipped", live.by, 0)


def test_a_run_that_is_not_running_or_paused_is_refused():
    made = inject_run()
    release = lambda: services.inject_release(run=made.run, inject=made.first, by=made.by)  # noqa: E731
    _refused(made.run, release, "not started")
    _refused(made.run, lambda: services.inject_skip(run=made.run, inject=made.first, by=made.by), "not started")
    services.run_start(run=made.run, by=made.by)
    services.run_finish(run=made.run, by=made.by)
    _refused(made.run, release, "over")


def test_an_inject_of_another_exercise_and_teams_of_another_run_are_refused(live):
    foreign = InjectFactory()
    error = _refused(live.run, lambda: services.inject_release(run=live.run, inject=foreign, by=live.by))
    assert set(error.field_errors) == {"inject"}
    _refused(live.run, lambda: services.inject_skip(run=live.run, inject=foreign, by=live.by))
    other_team = RunTeamFactory()
    error = _refused(
        live.run, lambda: services.inject_release(run=live.run, inject=live.first, teams=[other_team], by=live.by)
    )
    assert set(error.field_errors) == {"teams"}
    error = _refused(live.run, lambda: services.inject_release(run=live.run, inject=live.first, teams=[], by=live.by))
    assert set(error.field_errors) == {"teams"}


def test_an_inject_whose_dependency_is_not_released_waits_unless_released_anyway_which_is_recorded(live):
    error = _refused(
        live.run, lambda: services.inject_release(run=live.run, inject=live.second, by=live.by), "Victims moved"
    )
    assert set(error.field_errors) == {"override_dependency"}
    services.inject_skip(run=live.run, inject=live.first, by=live.by)  # a skipped dependency is not released
    _refused(live.run, lambda: services.inject_release(run=live.run, inject=live.second, by=live.by))

    release = services.inject_release(run=live.run, inject=live.second, by=live.by, override_dependency=True)
    assert release.dependency_overridden


def test_a_released_dependency_is_not_recorded_as_overridden(live):
    services.inject_release(run=live.run, inject=live.first, by=live.by)
    release = services.inject_release(run=live.run, inject=live.second, by=live.by, override_dependency=True)
    assert not release.dependency_overridden


def test_only_the_runs_facilitators_and_coordinators_release(live, coordinator):
    participant = EnrolmentFactory(cohort=live.run.cohort).participant.user
    for user in (participant, FacilitatorFactory(), None):
        _refused(live.run, lambda user=user: services.inject_release(run=live.run, inject=live.first, by=user), "Only")
        _refused(live.run, lambda user=user: services.inject_skip(run=live.run, inject=live.first, by=user), "Only")
        _refused(
            live.run,
            lambda user=user: services.inject_adhoc(run=live.run, title="T", body="B", teams=live.teams, by=user),
            "Only",
        )
    assert services.inject_release(run=live.run, inject=live.first, by=coordinator).by == coordinator


def test_an_adhoc_inject_goes_to_the_chosen_teams_with_its_cell_role(live):
    role = CellRoleFactory(exercise=live.run.exercise, name="The media")
    release = services.inject_adhoc(
        run=live.run, title=" Journalist calls ", body="A reporter asks about the raid.", teams=live.teams[:2],
        delivered_by=role, by=live.by,
    )  # fmt: skip
    release.refresh_from_db()
    assert (release.inject, release.title, release.delivered_by, release.by) == (
        None,
        "Journalist calls",
        role,
        live.by,
    )
    assert set(release.teams.all()) == set(live.teams[:2])
    assert release.phase == live.phases[0]
    # Ad-hoc injects are not unique per run: the same text may go out twice.
    services.inject_adhoc(run=live.run, title="Journalist calls", body="Again.", teams=live.teams[:1], by=live.by)
    assert InjectRelease.objects.filter(run=live.run, inject=None).count() == 2


def test_an_adhoc_inject_is_refused_field_by_field_with_nothing_written(live):
    adhoc = lambda **kw: lambda: services.inject_adhoc(run=live.run, by=live.by, **kw)  # noqa: E731
    error = _refused(live.run, adhoc(title=" ", body="", teams=[], delivered_by=CellRoleFactory()))
    assert set(error.field_errors) == {"title", "body", "teams", "delivered_by"}
    error = _refused(live.run, adhoc(title="x" * 201, body="y" * 5001, teams=[RunTeamFactory()]))
    assert set(error.field_errors) == {"title", "body", "teams"}
    services.run_finish(run=live.run, by=live.by)
    _refused(live.run, adhoc(title="Late", body="Too late.", teams=live.teams), "over")


def test_auto_release_is_switched_on_and_off_by_the_staff_until_the_run_is_over():
    made = inject_run()
    assert services.run_auto_release_set(run=made.run, on=True, by=made.by).auto_release_injects
    assert ExerciseRun.objects.get(pk=made.run.pk).auto_release_injects
    participant = EnrolmentFactory(cohort=made.run.cohort).participant.user
    with pytest.raises(ApplicationError):
        services.run_auto_release_set(run=made.run, on=False, by=participant)
    assert ExerciseRun.objects.get(pk=made.run.pk).auto_release_injects
    services.run_start(run=made.run, by=made.by)
    services.run_finish(run=made.run, by=made.by)
    with pytest.raises(ApplicationError, match="over"):
        services.run_auto_release_set(run=made.run, on=False, by=made.by)
    assert ExerciseRun.objects.get(pk=made.run.pk).auto_release_injects


def test_losing_the_race_to_the_unique_row_gives_the_same_clear_error(live, monkeypatch):
    """A writer that did not lock the run (the admin, say) inserted first: the constraint catches it."""
    InjectRelease.objects.create(
        run=live.run, inject=live.first, status="released", title="Victims moved", at=timezone.now() - dt.timedelta(1)
    )
    monkeypatch.setattr("conduct.services.injects._refuse_done", lambda run, inject: None)
    _refused(live.run, lambda: services.inject_release(run=live.run, inject=live.first, by=live.by), "already released")
