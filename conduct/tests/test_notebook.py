"""A run's facilitator notebook: one text per run and author (service and /runs/<id>/notebook/)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import FacilitatorFactory
from conduct import services
from conduct.models import RunNotebook
from conduct.tests.helpers import clock_run
from core.exceptions import ApplicationError
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(run) -> str:
    return reverse("conduct:run_notebook", kwargs={"pk": run.pk})


def test_each_facilitator_keeps_one_notebook_per_run_replaced_on_each_save():
    run, _phases, by = clock_run()
    services.notebook_save(run=run, by=by, text="First.")
    services.notebook_save(run=run, by=by, text="First.\nSecond.")
    assert RunNotebook.objects.get().text == "First.\nSecond."


@pytest.mark.parametrize("who", ["other_facilitator", "participant", "nobody"])
def test_only_the_run_staff_keep_a_notebook(who):
    run, _phases, _by = clock_run()
    by = {
        "other_facilitator": FacilitatorFactory,
        "participant": lambda: EnrolmentFactory(cohort=run.cohort).participant.user,
        "nobody": lambda: None,
    }[who]()
    with pytest.raises(ApplicationError):
        services.notebook_save(run=run, by=by, text="Mine.")
    assert not RunNotebook.objects.exists()


def test_a_notebook_is_bounded_and_a_refusal_keeps_the_old_text():
    run, _phases, by = clock_run()
    services.notebook_save(run=run, by=by, text="Kept.")
    with pytest.raises(ApplicationError):
        services.notebook_save(run=run, by=by, text="x" * (services.NOTEBOOK_MAX_LENGTH + 1))
    assert RunNotebook.objects.get().text == "Kept."


def test_the_page_saves_my_notes_and_shows_my_colleagues(client):
    run, _phases, by = clock_run()
    colleague = FacilitatorFactory()
    run.cohort.facilitators.add(colleague)
    services.notebook_save(run=run, by=colleague, text="COLLEAGUE-NOTES")
    client.force_login(by)
    assert client.post(_url(run), {"text": "MY-LONG-NOTES"}).status_code == 302
    page = client.get(_url(run))
    assert page.context["form"].initial["text"] == "MY-LONG-NOTES"
    assert "COLLEAGUE-NOTES" in page.text
    assert RunNotebook.objects.get(author=by).text == "MY-LONG-NOTES"


def test_participants_of_the_run_get_403_and_others_404(client):
    run, _phases, by = clock_run()
    services.notebook_save(run=run, by=by, text="SECRET")
    client.force_login(EnrolmentFactory(cohort=run.cohort).participant.user)
    assert client.get(_url(run)).status_code == 403
    assert client.post(_url(run), {"text": "X"}).status_code == 403
    client.force_login(FacilitatorFactory())
    assert client.get(_url(run)).status_code == 404
    assert RunNotebook.objects.get().text == "SECRET"
