"""The console's inject board (conduct.selectors.run_inject_board): plan, status, teams, query count."""

import datetime as dt

import pytest
from django.utils import timezone

from conduct import selectors, services
from conduct.tests.inject_helpers import inject_run
from exercises.tests.factories import InjectFactory, RunTeamFactory, TeamRoleFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_the_board_shows_each_injects_plan_dependency_status_teams_and_acknowledgements():
    made = inject_run()
    services.run_start(run=made.run, by=made.by, now=T0)
    release = services.inject_release(run=made.run, inject=made.first, by=made.by, now=_at(6))
    delivery = release.deliveries.get()
    delivery.acknowledged_at, delivery.acknowledged_by = _at(7), made.by
    delivery.save()
    services.run_advance(run=made.run, from_phase=made.phases[0].pk, by=made.by, now=_at(10))
    services.inject_skip(run=made.run, inject=made.second, by=made.by, now=_at(11))
    adhoc = services.inject_adhoc(
        run=made.run, title="Journalist calls", body="About the raid.", teams=made.teams[1:], by=made.by, now=_at(12)
    )

    made.run.refresh_from_db()
    board = selectors.run_inject_board(run=made.run, now=_at(15))

    first, second, third = board.planned
    assert (first.inject, first.status, first.planned_at, first.release) == (made.first, "released", _at(5), release)
    assert [(t.team, t.acknowledged) for t in first.teams] == [(made.teams[0], True)]
    assert (second.status, second.dependency, second.dependency_met) == ("skipped", made.first, True)
    assert second.planned_at == _at(10)
    assert (third.status, third.due, third.planned_at) == ("pending", False, _at(20))
    assert [t.team for t in third.teams] == made.teams[1:]  # its default targets
    assert [(t.delivery, t.acknowledged) for t in third.teams] == [(None, False), (None, False)]
    assert board.counts == {"pending": 1, "released": 1, "skipped": 1}
    assert [item.release for item in board.adhoc] == [adhoc]
    assert [t.team for t in board.adhoc[0].teams] == made.teams[1:]
    assert selectors.run_inject_board(run=made.run, now=_at(21)).planned[2].due


def test_an_unmet_dependency_is_shown_until_it_is_released():
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    assert not selectors.run_inject_board(run=made.run, now=timezone.now()).planned[1].dependency_met
    services.inject_release(run=made.run, inject=made.first, by=made.by)
    assert selectors.run_inject_board(run=made.run, now=timezone.now()).planned[1].dependency_met


def test_the_board_takes_the_same_queries_whatever_the_number_of_injects_releases_and_teams(
    django_assert_max_num_queries,
):
    def counted(extra: int) -> int:
        made = inject_run()
        exercise = made.run.exercise
        for n in range(extra):
            team = RunTeamFactory(run=made.run, team_role=TeamRoleFactory(exercise=exercise, number=10 + n))
            inject = InjectFactory(exercise=exercise, number=10 + n, phase=made.phases[n % 3], depends_on=made.first)
            inject.target_roles.add(team.team_role)
        services.run_start(run=made.run, by=made.by)
        services.inject_release(run=made.run, inject=made.first, by=made.by)
        for inject in exercise.injects.filter(number__gte=10)[: extra // 2]:
            services.inject_release(run=made.run, inject=inject, by=made.by)
        services.inject_adhoc(run=made.run, title="Ad hoc", body="Now.", teams=made.teams, by=made.by)
        with django_assert_max_num_queries(9) as queries:
            board = selectors.run_inject_board(run=made.run, now=timezone.now())
            assert len(board.planned) == 3 + extra
            shown = [
                (row.inject.phase, row.inject.delivered_by, row.release and row.release.by, team.team.team_role.name)
                for row in board.planned
                for team in row.teams
            ]
            assert len(shown) >= 3
        return len(queries)

    assert counted(0) == counted(12)
