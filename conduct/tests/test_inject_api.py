"""A run's injects over the API: /api/v1/inject-boards/{run}/ and its actions, /api/v1/inject-releases/."""

import pytest

from accounts.models import User
from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import InjectRelease
from conduct.tests.inject_helpers import InjectRun, inject_run
from exercises.models import ExerciseRun
from exercises.tests.factories import CellRoleFactory, InjectFactory, RunTeamFactory, TeamRoleFactory
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(run: ExerciseRun, action: str = "") -> str:
    return f"/api/v1/inject-boards/{run.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def live(api_client) -> InjectRun:  # type: ignore[no-untyped-def]
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    api_client.force_authenticate(made.by)
    return made


def test_the_board_and_its_actions(api_client, live):
    body = api_client.get(_url(live.run)).json()
    assert (body["run"], body["auto_release"], body["clock"]["status"]) == (live.run.pk, False, "running")
    assert [row["status"] for row in body["planned"]] == ["pending"] * 3
    assert body["planned"][1]["depends_on"] == live.first.pk
    assert body["planned"][1]["dependency_met"] is False
    assert [t["team"] for t in body["planned"][0]["teams"]] == [live.teams[0].pk]

    body = api_client.post(_url(live.run, "release"), {"inject": live.first.pk}, format="json").json()
    first = body["planned"][0]
    assert (first["status"], first["release"]["by"], first["release"]["automatic"]) == ("released", str(live.by), False)
    assert first["teams"] == [
        {"team": live.teams[0].pk, "team_name": str(live.teams[0]), "acknowledged": False, "acknowledged_at": None}
    ]
    body = api_client.post(
        _url(live.run, "release"), {"inject": live.third.pk, "teams": [live.teams[2].pk]}, format="json"
    ).json()
    assert [t["team"] for t in body["planned"][2]["teams"]] == [live.teams[2].pk]
    body = api_client.post(_url(live.run, "skip"), {"inject": live.second.pk}, format="json").json()
    assert body["planned"][1]["status"] == "skipped"

    role = CellRoleFactory(exercise=live.run.exercise)
    data = {
        "title": "Journalist calls",
        "body": "About the raid.",
        "teams": [live.teams[1].pk],
        "delivered_by": role.pk,
    }
    body = api_client.post(_url(live.run, "adhoc"), data, format="json").json()
    assert [(a["release"]["title"], a["release"]["delivered_by"]) for a in body["adhoc"]] == [
        ("Journalist calls", role.pk)
    ]
    assert api_client.post(_url(live.run, "auto-release"), {"on": True}, format="json").json()["auto_release"]


def test_override_dependency_over_the_api(api_client, live):
    response = api_client.post(_url(live.run, "release"), {"inject": live.second.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"override_dependency"}
    body = api_client.post(
        _url(live.run, "release"), {"inject": live.second.pk, "override_dependency": True}, format="json"
    ).json()
    assert body["planned"][1]["release"]["dependency_overridden"] is True


def test_refusals_answer_400_in_the_error_shape_and_change_nothing(api_client, live):
    services.inject_release(run=live.run, inject=live.first, by=live.by)
    cases = [
        ("release", {"inject": live.first.pk}, "non_field_errors"),  # twice
        ("release", {"inject": InjectFactory().pk}, "inject"),  # another exercise's
        ("release", {"inject": live.third.pk, "teams": [RunTeamFactory().pk]}, "teams"),  # another run's team
        ("release", {}, "inject"),
        ("skip", {"inject": live.first.pk}, "non_field_errors"),
        ("adhoc", {"title": "T", "body": "B", "teams": []}, "teams"),
        ("adhoc", {"title": "", "body": "B", "teams": [live.teams[0].pk]}, "title"),
        ("adhoc", {"title": "T", "body": "B", "teams": [live.teams[0].pk], "delivered_by": 0}, "delivered_by"),
        ("auto-release", {}, "on"),
    ]
    for action, data, field in cases:
        response = api_client.post(_url(live.run, action), data, format="json")
        assert response.status_code == 400, (action, data)
        assert field in response.json(), (action, response.json())
    assert InjectRelease.objects.count() == 1
    services.run_finish(run=live.run, by=live.by)
    response = api_client.post(_url(live.run, "release"), {"inject": live.third.pk}, format="json")
    assert response.status_code == 400
    assert "over" in response.json()["non_field_errors"][0]


def test_who_may_read_and_act(api_client, coordinator):
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    participant = EnrolmentFactory(cohort=made.run.cohort).participant.user
    for user, code in [(participant, 403), (FacilitatorFactory(), 404), (coordinator, 200)]:
        api_client.force_authenticate(user)
        assert api_client.get(_url(made.run)).status_code == code, user
    api_client.force_authenticate(participant)
    assert api_client.post(_url(made.run, "release"), {"inject": made.first.pk}, format="json").status_code == 403
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.post(_url(made.run, "skip"), {"inject": made.first.pk}, format="json").status_code == 404
    assert not InjectRelease.objects.exists()
    api_client.force_authenticate(None)
    assert api_client.get(_url(made.run)).status_code == 401


def test_the_releases_list_is_for_the_runs_staff(api_client, coordinator):
    made, other = inject_run(), inject_run()
    for run in (made, other):
        services.run_start(run=run.run, by=run.by)
        services.inject_release(run=run.run, inject=run.first, by=run.by)
    mine = InjectRelease.objects.get(run=made.run)
    api_client.force_authenticate(made.by)
    body = api_client.get("/api/v1/inject-releases/").json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert body["results"][0]["deliveries"][0]["team"] == made.teams[0].pk
    assert api_client.get(f"/api/v1/inject-releases/{mine.pk}/").json()["title"] == "Victims moved"
    api_client.force_authenticate(coordinator)
    assert api_client.get(f"/api/v1/inject-releases/?run={other.run.pk}").json()["count"] == 1
    api_client.force_authenticate(EnrolmentFactory(cohort=made.run.cohort).participant.user)
    assert api_client.get("/api/v1/inject-releases/").json()["count"] == 0
    assert api_client.get(f"/api/v1/inject-releases/{mine.pk}/").status_code == 404
    api_client.force_authenticate(made.by)
    assert api_client.post("/api/v1/inject-releases/", {}, format="json").status_code in (403, 405)  # read-only
    assert InjectRelease.objects.count() == 2


def test_reading_the_board_takes_the_same_queries_whatever_its_size(api_client, django_assert_max_num_queries):
    def counted(extra: int) -> int:
        made = inject_run()
        exercise = made.run.exercise
        for n in range(extra):
            team = RunTeamFactory(run=made.run, team_role=TeamRoleFactory(exercise=exercise, number=10 + n))
            inject = InjectFactory(exercise=exercise, number=10 + n, phase=made.phases[n % 3])
            inject.target_roles.add(team.team_role)
        services.run_start(run=made.run, by=made.by)
        for inject in exercise.injects.all()[: extra // 2 + 1]:
            services.inject_release(run=made.run, inject=inject, by=made.by, override_dependency=True)
        api_client.force_authenticate(User.objects.get(pk=made.by.pk))
        with django_assert_max_num_queries(14) as queries:
            assert api_client.get(_url(made.run)).status_code == 200
        return len(queries)

    assert counted(0) == counted(10)
