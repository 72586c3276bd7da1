"""The clock over the API: /api/v1/run-clocks/{id}/ and its actions, rules, error shape, query count."""

import pytest

from accounts.models import User
from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.tests.helpers import clock_run
from exercises.models import ExerciseRun
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(run: ExerciseRun, action: str = "") -> str:
    return f"/api/v1/run-clocks/{run.pk}/" + (f"{action}/" if action else "")


def test_a_facilitator_works_the_clock_through_its_actions(api_client):
    run, (one, two, _three), by = clock_run()
    api_client.force_authenticate(by)

    body = api_client.get(_url(run)).json()
    assert (body["status"], body["phase"], body["phase_count"]) == ("planned", None, 3)

    body = api_client.post(_url(run, "start")).json()
    assert (body["status"], body["phase"]["id"], body["planned_seconds"]) == ("running", one.pk, 600)
    body = api_client.post(_url(run, "advance"), {"from_phase": one.pk}, format="json").json()
    assert body["phase"]["id"] == two.pk
    assert api_client.post(_url(run, "pause")).json()["status"] == "paused"
    body = api_client.post(_url(run, "extend"), {"minutes": 5}, format="json").json()
    assert (body["extension_minutes"], body["planned_seconds"]) == (5, 25 * 60)
    assert api_client.post(_url(run, "resume")).json()["status"] == "running"
    assert api_client.post(_url(run, "finish")).json()["status"] == "finished"


def test_a_stale_advance_answers_400_in_the_error_shape_and_changes_nothing(api_client):
    run, (one, _two, _three), by = clock_run()
    services.run_start(run=run, by=by)
    services.run_advance(run=run, from_phase=one.pk, by=by)
    api_client.force_authenticate(by)

    response = api_client.post(_url(run, "advance"), {"from_phase": one.pk}, format="json")

    assert response.status_code == 400
    assert "already moved on" in response.json()["non_field_errors"][0]
    assert api_client.get(_url(run)).json()["phase_number"] == 2


def test_bad_input_answers_400_by_field(api_client):
    run, _phases, by = clock_run()
    services.run_start(run=run, by=by)
    api_client.force_authenticate(by)
    assert set(api_client.post(_url(run, "advance"), {}, format="json").json()) == {"from_phase"}
    assert set(api_client.post(_url(run, "extend"), {"minutes": 0}, format="json").json()) == {"minutes"}
    assert set(api_client.post(_url(run, "extend"), {"minutes": 9999}, format="json").json()) == {"minutes"}


def test_who_may_read_and_act(api_client, coordinator):
    run, _phases, _by = clock_run()
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    cases = [(participant, 403), (FacilitatorFactory(), 404), (coordinator, 200)]
    for user, code in cases:
        api_client.force_authenticate(user)
        assert api_client.get(_url(run)).status_code == code, user
    api_client.force_authenticate(participant)
    assert api_client.post(_url(run, "start")).status_code == 403
    assert ExerciseRun.objects.get(pk=run.pk).status == ExerciseRun.Status.PLANNED
    api_client.force_authenticate(None)
    assert api_client.get(_url(run)).status_code == 401


def test_reading_the_clock_takes_the_same_queries_whatever_its_phases_and_events(
    api_client, django_assert_max_num_queries
):
    def counted(phases: int, rounds: int) -> int:
        run, _made, by = clock_run(phases=phases)
        services.run_start(run=run, by=by)
        for _ in range(rounds):
            services.run_pause(run=run, by=by)
            services.run_extend(run=run, minutes=1, by=by)
            services.run_resume(run=run, by=by)
        api_client.force_authenticate(User.objects.get(pk=by.pk))  # nothing cached on the user
        # The user's roles and cohorts, the run, its phases, its events.
        with django_assert_max_num_queries(6) as queries:
            assert api_client.get(_url(run)).status_code == 200
        return len(queries)

    assert counted(2, 1) == counted(12, 15)
