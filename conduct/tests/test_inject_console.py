"""The console's injects section: release, skip, ad-hoc form, auto-release toggle (post/redirect/get)."""

import pytest
from django.urls import reverse

from conduct import services
from conduct.models import InjectRelease
from conduct.tests.inject_helpers import InjectRun, inject_run
from exercises.models import ExerciseRun
from exercises.tests.factories import CellRoleFactory
from participants.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(made: InjectRun) -> str:
    return reverse("conduct:run_console", kwargs={"pk": made.run.pk})


@pytest.fixture
def live(client) -> InjectRun:  # type: ignore[no-untyped-def]
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    client.force_login(made.by)
    return made


def test_the_console_lists_the_planned_injects_with_release_and_skip_buttons(client, live):
    page = client.get(_url(live))
    assert page.status_code == 200
    for title in ("Victims moved", "Suspect escapes", "Transport problem"):
        assert title in page.text
    assert page.text.count('value="release"') == 3
    assert "Release anyway, before its dependency" in page.text  # the second depends on the first
    assert page.text.count('name="override"') == 1
    assert "3 pending · 0 released · 0 skipped" in page.text


def test_a_facilitator_releases_to_the_checked_teams_and_the_page_shows_it(client, live):
    response = client.post(
        _url(live), {"action": "release", "inject": live.third.pk, "teams": [live.teams[1].pk, live.teams[2].pk]}
    )
    assert response.status_code == 302
    release = InjectRelease.objects.get(inject=live.third)
    assert set(release.teams.all()) == set(live.teams[1:])
    page = client.get(response["Location"])
    assert "“Transport problem” was released." in page.text
    assert page.text.count("not acknowledged") == 2
    assert page.text.count('value="release"') == 2


def test_an_unmet_dependency_needs_the_release_anyway_box(client, live):
    teams = [team.pk for team in live.teams]
    page = client.post(_url(live), {"action": "release", "inject": live.second.pk, "teams": teams}, follow=True)
    assert "has not been released" in page.text
    assert not InjectRelease.objects.exists()
    client.post(_url(live), {"action": "release", "inject": live.second.pk, "teams": teams, "override": "1"})
    assert InjectRelease.objects.get().dependency_overridden


def test_skipping_and_refusals_show_as_messages(client, live):
    client.post(_url(live), {"action": "skip", "inject": live.first.pk})
    assert InjectRelease.objects.get().status == "skipped"
    page = client.post(_url(live), {"action": "skip", "inject": live.first.pk}, follow=True)
    assert "already skipped" in page.text
    page = client.post(_url(live), {"action": "release", "inject": 0}, follow=True)
    assert "not one of this exercise" in page.text
    page = client.post(_url(live), {"action": "release", "inject": live.third.pk}, follow=True)
    assert "Choose at least one team" in page.text  # every box unchecked
    assert InjectRelease.objects.count() == 1


def test_an_adhoc_inject_is_written_on_the_spot_and_a_bad_one_keeps_its_text(client, live):
    role = CellRoleFactory(exercise=live.run.exercise, name="The media")
    page = client.post(
        _url(live), {"action": "adhoc", "adhoc-title": "Journalist calls", "adhoc-body": "", "adhoc-teams": []}
    )
    assert page.status_code == 400
    assert 'value="Journalist calls"' in page.text
    assert not InjectRelease.objects.exists()
    data = {
        "action": "adhoc",
        "adhoc-title": "Journalist calls",
        "adhoc-body": "A reporter asks about the raid.",
        "adhoc-teams": [live.teams[0].pk],
        "adhoc-delivered_by": role.pk,
    }
    assert client.post(_url(live), data).status_code == 302
    release = InjectRelease.objects.get()
    assert (release.inject, release.delivered_by, list(release.teams.all())) == (None, role, [live.teams[0]])
    assert "A reporter asks about the raid." in client.get(_url(live)).text


def test_auto_release_is_toggled_and_the_page_releases_what_is_due_on_load(client, live):
    client.post(_url(live), {"action": "auto_release", "on": "1"})
    assert ExerciseRun.objects.get(pk=live.run.pk).auto_release_injects
    services.run_advance(run=live.run, from_phase=live.phases[0].pk, by=live.by)  # the first is now past
    page = client.get(_url(live))
    assert "Turn automatic release off" in page.text
    assert set(InjectRelease.objects.values_list("inject__number", flat=True)) == {1, 2}
    assert InjectRelease.objects.filter(automatic=True).count() == 2
    client.post(_url(live), {"action": "auto_release", "on": "0"})
    assert not ExerciseRun.objects.get(pk=live.run.pk).auto_release_injects


def test_a_participant_cannot_release_from_the_console(client):
    made = inject_run()
    services.run_start(run=made.run, by=made.by)
    client.force_login(EnrolmentFactory(cohort=made.run.cohort).participant.user)
    assert client.post(_url(made), {"action": "release", "inject": made.first.pk}).status_code == 403
    assert not InjectRelease.objects.exists()


def test_a_planned_run_shows_the_board_without_buttons(client):
    made = inject_run()
    client.force_login(made.by)
    page = client.get(_url(made))
    assert "Victims moved" in page.text
    assert 'value="release"' not in page.text
    assert 'value="adhoc"' not in page.text
