"""Exercises in several languages: the one selector that chooses a variant, and a team's briefing in the
reader's language on the dashboard, the run page, the team room and its API; facilitators see which
languages exist. What a person may see is unchanged."""

import pytest
from django.urls import reverse

from exercises import services
from exercises.models import Exercise, TeamRole
from exercises.selectors import exercise_language_variant, exercise_languages, team_briefing
from exercises.tests.factories import ExerciseFactory, TeamRoleFactory
from tests.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _polish_variant(world: World) -> Exercise:
    """The world's exercise translated: the team roles of the same numbers, in Polish."""
    variant = services.exercise_duplicate(exercise=world.exercise, name="Rozpoznawanie ofiar", language="pl")
    TeamRole.objects.filter(exercise=variant, number=world.team.team_role.number).update(
        briefing="NASZA-ODPRAWA", tasks="NASZE-ZADANIA"
    )
    TeamRole.objects.filter(exercise=variant, number=world.team_rival.team_role.number).update(
        briefing="ODPRAWA-RYWALA"
    )
    return variant


def test_the_variant_in_the_readers_language_of_the_same_country_first():
    original = ExerciseFactory(language="en", country="")
    polish = ExerciseFactory(language="pl", country="", variant_of=original)
    polish_for_pl = ExerciseFactory(language="pl", country="PL", variant_of=original)
    romanian_of_polish = ExerciseFactory(language="ro", country="", variant_of=polish)  # two levels down
    national = ExerciseFactory(language="en", country="PL", variant_of=original)
    assert exercise_language_variant(exercise=original, language="en") == original
    assert exercise_language_variant(exercise=original, language="pl") == polish  # the one for every country
    assert exercise_language_variant(exercise=national, language="pl") == polish_for_pl  # its country's
    assert exercise_language_variant(exercise=polish, language="ro") == romanian_of_polish
    assert exercise_language_variant(exercise=romanian_of_polish, language="en") == original
    assert exercise_language_variant(exercise=original, language="bg") == original  # none: the run's own
    assert [code for code, _name, _variant in exercise_languages(exercise=national)] == ["en", "pl", "ro"]


def test_the_briefing_comes_from_the_variants_team_role_of_the_same_number(world: World):
    _polish_variant(world)
    role, exercise = world.team.team_role, world.exercise
    polish = team_briefing(team_role=role, exercise=exercise, language="pl")
    assert (polish.language, polish.briefing, polish.tasks) == ("pl", "NASZA-ODPRAWA", "NASZE-ZADANIA")
    english = team_briefing(team_role=role, exercise=exercise, language="en")
    assert (english.language, english.briefing) == ("en", "OUR-TEAM-BRIEFING")
    assert team_briefing(team_role=role, exercise=exercise, language="de").briefing == "OUR-TEAM-BRIEFING"


def test_a_variant_without_that_team_or_its_words_falls_back_to_the_runs_exercise(world: World):
    variant = ExerciseFactory(language="pl", variant_of=world.exercise)
    TeamRoleFactory(exercise=variant, number=world.team.team_role.number + 100, briefing="INNA-DRUŻYNA")
    briefing = team_briefing(team_role=world.team.team_role, exercise=world.exercise, language="pl")
    assert (briefing.language, briefing.briefing) == ("en", "OUR-TEAM-BRIEFING")
    TeamRoleFactory(exercise=variant, number=world.team.team_role.number, briefing="", tasks="")
    briefing = team_briefing(team_role=world.team.team_role, exercise=world.exercise, language="pl")
    assert (briefing.language, briefing.briefing) == ("en", "OUR-TEAM-BRIEFING")


def test_a_polish_participant_reads_their_teams_briefing_in_polish_everywhere(client, world: World, api_client):
    _polish_variant(world)
    user = world.participant.user
    user.language = "pl"
    user.save()
    client.force_login(user)
    pages = [
        reverse("dashboard"),
        world.run.get_absolute_url(),
        reverse("conduct:team_room", kwargs={"pk": world.run.pk, "team_pk": world.team.pk}),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert '<div class="prose" lang="pl"><p>NASZA-ODPRAWA</p></div>' in page, url
        assert "OUR-TEAM-BRIEFING" not in page
        assert "ODPRAWA-RYWALA" not in page  # another team's briefing, in any language, stays hidden
        assert "RIVAL-BRIEFING" not in page
    api_client.force_authenticate(user)
    room = api_client.get(f"/api/v1/team-rooms/{world.team.pk}/").json()
    assert (room["briefing"], room["tasks"], room["language"]) == ("NASZA-ODPRAWA", "NASZE-ZADANIA", "pl")
    own = api_client.get(f"/api/v1/exercise-runs/{world.run.pk}/").json()["own_team"]
    assert (own["briefing"], own["tasks"], own["language"]) == ("NASZA-ODPRAWA", "NASZE-ZADANIA", "pl")


def test_an_english_reader_keeps_the_runs_exercise(client, world: World):
    _polish_variant(world)
    user = world.participant.user
    user.language = "en"
    user.save()
    client.force_login(user)
    page = client.get(world.run.get_absolute_url()).content.decode()
    assert '<div class="prose" lang="en"><p>OUR-TEAM-BRIEFING</p></div>' in page
    assert "NASZA-ODPRAWA" not in page


def test_the_other_cohorts_participant_still_sees_nothing_of_the_run(client, world: World):
    _polish_variant(world)
    user = world.participant_other.user
    user.language = "pl"
    user.save()
    client.force_login(user)
    room = reverse("conduct:team_room", kwargs={"pk": world.run.pk, "team_pk": world.team.pk})
    assert client.get(room).status_code == 404
    assert client.get(world.run.get_absolute_url()).status_code == 404


def test_facilitators_see_the_languages_an_exercise_exists_in(client, world: World):
    variant = _polish_variant(world)
    client.force_login(world.users["facilitator"])
    page = client.get(world.exercise.get_absolute_url()).content.decode()
    assert "<strong>English</strong> · Polish" in page  # the variant is in no course of theirs: no link
    client.force_login(world.users["coordinator"])
    page = client.get(world.exercise.get_absolute_url()).content.decode()
    assert f'<strong>English</strong> · <a href="{variant.get_absolute_url()}" hreflang="pl">Polish</a>' in page
