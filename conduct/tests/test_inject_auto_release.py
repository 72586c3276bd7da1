"""Planned injects releasing themselves at their planned time (injects_release_due), with hand-made times."""

import datetime as dt

import pytest
from django.conf import settings

from conduct import services
from conduct.models import InjectRelease
from conduct.tasks import injects_release_due_task
from conduct.tests.inject_helpers import InjectRun, inject_run
from exercises.tests.factories import TeamRoleFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _auto(made: InjectRun) -> InjectRun:
    services.run_auto_release_set(run=made.run, on=True, by=made.by)
    services.run_start(run=made.run, by=made.by, now=T0)
    return made


def _released(made: InjectRun) -> list[int]:
    return sorted(
        InjectRelease.objects.filter(run=made.run, status="released").values_list("inject__number", flat=True)
    )


def test_injects_release_at_their_offset_in_play_time_and_a_pause_holds_them():
    made = _auto(inject_run())
    assert services.injects_release_due(now=_at(4.9)) == 0
    assert services.injects_release_due(now=_at(5)) == 1
    first = InjectRelease.objects.get(run=made.run, inject=made.first)
    assert (first.automatic, first.by, first.at, first.phase) == (True, None, _at(5), made.phases[0])
    assert list(first.teams.all()) == [made.teams[0]]

    # Phase 2 (offsets 0 and 10) from 09:10; paused 09:12-09:25.
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by, now=_at(10))
    assert services.injects_release_due(now=_at(10)) == 1  # the second: its dependency is out
    services.run_pause(run=made.run, by=made.by, now=_at(12))
    assert services.injects_release_due(now=_at(24)) == 0  # paused: held, though 14 minutes have passed
    services.run_resume(run=made.run, by=made.by, now=_at(25))
    assert services.injects_release_due(now=_at(32.9)) == 0  # 9.9 minutes of play
    assert services.injects_release_due(now=_at(33)) == 1  # 10 minutes of play
    assert _released(made) == [1, 2, 3]
    assert InjectRelease.objects.get(run=made.run, inject=made.third).at == _at(33)


def test_an_inject_of_a_past_phase_is_due_and_a_dependency_released_in_the_same_pass_frees_its_dependent():
    made = _auto(inject_run())
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by, now=_at(1))
    assert services.injects_release_due(now=_at(1)) == 2
    assert _released(made) == [1, 2]


def test_an_unreleased_dependency_holds_its_dependent_and_is_never_overridden():
    made = _auto(inject_run())
    services.inject_skip(run=made.run, inject=made.first, by=made.by, now=_at(1))
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by, now=_at(2))
    assert services.injects_release_due(now=_at(30)) == 1  # the third only
    assert _released(made) == [3]
    assert not InjectRelease.objects.filter(run=made.run, inject=made.second).exists()


def test_nothing_releases_itself_when_auto_release_is_off_or_the_run_is_paused_or_over():
    made = inject_run()
    services.run_start(run=made.run, by=made.by, now=T0)
    assert services.injects_release_due(now=_at(60)) == 0
    services.run_auto_release_set(run=made.run, on=True, by=made.by)
    services.run_pause(run=made.run, by=made.by, now=_at(1))
    assert services.injects_release_due(now=_at(60)) == 0
    services.run_finish(run=made.run, by=made.by, now=_at(2))
    assert services.injects_release_due(now=_at(60)) == 0
    assert not InjectRelease.objects.exists()


def test_releasing_due_injects_twice_releases_them_once_and_run_ids_narrow_it():
    made, other = _auto(inject_run()), _auto(inject_run())
    assert services.injects_release_due(now=_at(6), run_ids=[made.run.pk]) == 1
    assert services.injects_release_due(now=_at(6), run_ids=[made.run.pk]) == 0
    assert not InjectRelease.objects.filter(run=other.run).exists()
    assert services.injects_release_due(now=_at(6)) == 1  # the other run's
    assert InjectRelease.objects.count() == 2


def test_an_inject_no_team_plays_is_left_for_the_facilitator():
    made = _auto(inject_run())
    made.third.target_roles.set([TeamRoleFactory(exercise=made.run.exercise)])  # a role no team of the run plays
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by, now=_at(10))
    assert services.injects_release_due(now=_at(30)) == 2
    assert _released(made) == [1, 2]


def test_the_beat_task_runs_the_sweep_every_ten_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["injects-release-due"]
    assert (entry["task"], entry["schedule"]) == ("conduct.tasks.injects_release_due_task", 10.0)
    made = inject_run()
    services.run_auto_release_set(run=made.run, on=True, by=made.by)
    services.run_start(run=made.run, by=made.by, now=_at(-6))
    assert injects_release_due_task() == 1
    assert _released(made) == [1]
