"""Guide text shows as lists and emphasis on the guide and in a team's room, never as "- " lines or raw HTML."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory
from conduct.tests.rooms import room_run
from exercises.models import TeamRole
from exercises.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

MATERIALS = "Bring:\n\n- **Protocol** of the services\n- Contact list\n\n<script>alert(1)</script>"


def test_the_guide_renders_materials_as_a_list(client):
    exercise = ExerciseFactory(materials=MATERIALS, tips="1. Start\n2. *Watch* the teams")
    client.force_login(CoordinatorFactory())
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "<li><strong>Protocol</strong> of the services</li>" in html
    assert "<ol>\n<li>Start</li>\n<li><em>Watch</em> the teams</li>\n</ol>" in html
    assert "<script>alert(1)</script>" not in html
    assert "- Contact list" not in html


def test_a_team_room_renders_the_briefing_and_tasks(client):
    room = room_run()
    TeamRole.objects.filter(pk=room.police.team_role_id).update(
        briefing="You are the **police**.", tasks="- Verify\n- [Report](https://example.org)"
    )
    client.force_login(room.alice)
    url = reverse("conduct:team_room", kwargs={"pk": room.run.pk, "team_pk": room.police.pk})
    html = client.get(url).content.decode()
    assert "<p>You are the <strong>police</strong>.</p>" in html
    assert '<li><a href="https://example.org" rel="nofollow noopener">Report</a></li>' in html
