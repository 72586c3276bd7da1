"""A team's printable one-page handout: briefing, tasks and the exercise's materials, for whoever enters its room."""

import pytest
from django.urls import reverse

from conduct.tests.rooms import Room, room_run
from exercises.models import ExerciseRun, Handout, TeamRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def room() -> Room:
    room = room_run()
    TeamRole.objects.filter(pk=room.police.team_role_id).update(
        briefing="Six persons were stopped at the border.", tasks="- Verify the information\n- **Coordinate**"
    )
    exercise = room.run.exercise
    Handout.objects.create(exercise=exercise, order=2, title="Key institutions", description="Who does what.")
    Handout.objects.create(exercise=exercise, order=1, title="Procedures for inter-agency cooperation")
    return room


def _url(team) -> str:
    return reverse("conduct:team_handout", kwargs={"pk": team.run_id, "team_pk": team.pk})


def test_the_handout_prints_briefing_tasks_and_materials_in_order(client, room):
    client.force_login(room.alice)
    response = client.get(_url(room.police))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Six persons were stopped at the border." in html
    assert "<li><strong>Coordinate</strong></li>" in html
    first = html.index("Material 1: Procedures for inter-agency cooperation")
    assert first < html.index("Material 2: Key institutions")
    assert "BORDER-BRIEFING" not in html  # another team's briefing never
    assert room.alice.get_full_name() in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "police", "border"),
    [
        ("alice", 200, 403),
        ("bob", 403, 200),
        ("facilitator", 200, 200),
        ("coordinator", 200, 200),
        ("olga", 404, 404),
        ("outsider", 404, 404),
        ("player", 404, 404),
    ],
)
def test_who_may_print_is_who_may_enter_the_room(client, room, who, police, border):
    client.force_login(getattr(room, who))
    assert client.get(_url(room.police)).status_code == police
    assert client.get(_url(room.border)).status_code == border


def test_not_before_the_teams_are_confirmed(client, room):
    ExerciseRun.objects.filter(pk=room.run.pk).update(teams_confirmed_at=None)
    client.force_login(room.alice)
    assert client.get(_url(room.police)).status_code == 403


def test_the_room_and_the_run_page_link_the_handout(client, room):
    client.force_login(room.facilitator)
    room_page = client.get(reverse("conduct:team_room", kwargs={"pk": room.run.pk, "team_pk": room.police.pk}))
    assert _url(room.police) in room_page.content.decode()
    run_page = client.get(room.run.get_absolute_url()).content.decode()
    assert _url(room.police) in run_page
    assert _url(room.border) in run_page


def test_bounded_queries(client, room, django_assert_max_num_queries):
    client.force_login(room.alice)
    with django_assert_max_num_queries(15):
        assert client.get(_url(room.police)).status_code == 200
