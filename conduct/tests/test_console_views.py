"""The console page (/runs/<id>/console/) and its link on the run page."""

import pytest
from django.urls import reverse

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.tests.helpers import clock_run
from exercises.models import ExerciseRun
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(run: ExerciseRun) -> str:
    return reverse("conduct:run_console", kwargs={"pk": run.pk})


def test_the_facilitator_starts_advances_extends_pauses_and_finishes_from_the_page(client):
    run, (one, _two, _three), by = clock_run()
    client.force_login(by)
    page = client.get(_url(run))
    assert page.status_code == 200
    assert b'value="start"' in page.content

    assert client.post(_url(run), {"action": "start"}).status_code == 302
    page = client.get(_url(run))
    assert "Phase 1 of 3" in page.text
    assert 'value="advance"' in page.text
    client.post(_url(run), {"action": "advance", "from_phase": one.pk})
    client.post(_url(run), {"action": "extend"})
    client.post(_url(run), {"action": "pause"})
    page = client.get(_url(run))
    assert 'value="resume"' in page.text
    assert "including 5 added" in page.text
    client.post(_url(run), {"action": "resume"})
    client.post(_url(run), {"action": "finish"})
    assert ExerciseRun.objects.get(pk=run.pk).status == ExerciseRun.Status.FINISHED


def test_a_stale_press_shows_the_refusal_and_changes_nothing(client):
    run, (one, _two, _three), by = clock_run()
    services.run_start(run=run, by=by)
    services.run_advance(run=run, from_phase=one.pk, by=by)
    client.force_login(by)

    page = client.post(_url(run), {"action": "advance", "from_phase": one.pk}, follow=True)

    assert "already moved on" in page.text
    assert page.context["clock"].phase_number == 2
    assert client.post(_url(run), {"action": "explode"}, follow=True).status_code == 200


def test_participants_of_the_run_get_403_and_others_404(client):
    run, _phases, _by = clock_run()
    participant = EnrolmentFactory(cohort=run.cohort).participant.user
    client.force_login(participant)
    assert client.get(_url(run)).status_code == 403
    assert client.post(_url(run), {"action": "start"}).status_code == 403
    client.force_login(FacilitatorFactory())
    assert client.get(_url(run)).status_code == 404
    assert ExerciseRun.objects.get(pk=run.pk).status == ExerciseRun.Status.PLANNED


def test_the_run_page_links_to_the_console_for_those_who_may_use_it(client):
    run, _phases, by = clock_run()
    client.force_login(by)
    assert _url(run) in client.get(run.get_absolute_url()).text
    client.force_login(EnrolmentFactory(cohort=run.cohort).participant.user)
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert _url(run) not in page.text
