"""/api/v1/my-reflections/: the caller's questionnaires, their own draft and submission, nobody else's."""

import pytest
from django.urls import reverse

from reflections.models import Completion, Draft, Response
from reflections.tests.answer_world import answer_world
from reflections.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def _url(world, name: str = "detail") -> str:
    return reverse(f"api:myreflection-{name}", kwargs={"pk": world.administration.pk})


def test_the_list_has_the_callers_questionnaires_only_with_their_state(api_client, django_assert_max_num_queries):
    world, other = answer_world(), answer_world()
    for _ in range(3):
        AdministrationFactory(questionnaire=world.questionnaire, cohort=world.administration.cohort)
    api_client.force_authenticate(world.member.user)
    with django_assert_max_num_queries(8):
        body = api_client.get(reverse("api:myreflection-list")).json()
    ids = {row["id"] for row in body["results"]}
    assert world.administration.pk in ids
    assert other.administration.pk not in ids
    assert len(ids) == 4
    row = next(row for row in body["results"] if row["id"] == world.administration.pk)
    assert row["state"] == "open"
    assert row["answered"] is False
    assert row["anonymous"] is True


def test_the_detail_gives_the_questions_in_the_asked_language(api_client):
    world = answer_world()
    api_client.force_authenticate(world.member.user)
    body = api_client.get(_url(world) + "?lang=pl").json()
    texts = {q["id"]: q["text"] for q in body["questions"]}
    assert texts[world.text.pk] == "Co zrobiłbyś inaczej?"
    single = next(q for q in body["questions"] if q["id"] == world.single.pk)
    assert single["choices"][0] == {"key": "police", "label": "Policja"}


def test_draft_get_put_then_submit_once(api_client):
    world = answer_world(anonymous=True)
    api_client.force_authenticate(world.member.user)
    assert api_client.get(_url(world, "draft")).json()["answers"] == {}
    response = api_client.put(
        _url(world, "draft"), {"answers": {str(world.text.pk): "so far"}, "language": "pl"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["answers"] == {str(world.text.pk): "so far"}
    assert api_client.get(_url(world, "draft")).json()["language"] == "pl"

    missing = api_client.post(_url(world, "submit"), {"answers": {str(world.text.pk): "so far"}}, format="json")
    assert missing.status_code == 400
    assert missing.json()[f"q_{world.scale.pk}"] == ["This question needs an answer."]
    assert not Response.objects.exists()

    done = api_client.post(_url(world, "submit"), {"answers": world.full_answers()}, format="json")
    assert done.status_code == 201
    assert done.json()["answered"] is True
    assert done.json()["answers"] is None  # anonymous: nobody's answers
    assert not Draft.objects.exists()
    again = api_client.post(_url(world, "submit"), {"answers": world.full_answers()}, format="json")
    assert again.status_code == 400
    assert "already answered" in again.json()["non_field_errors"][0]
    assert Response.objects.count() == 1
    submission = api_client.get(_url(world, "submission")).json()
    assert submission["answered"] is True
    assert submission["answers"] is None


def test_a_named_submission_shows_the_callers_own_answers(api_client):
    world = answer_world(anonymous=False)
    api_client.force_authenticate(world.member.user)
    api_client.post(_url(world, "submit"), {"answers": world.full_answers()}, format="json")
    answers = api_client.get(_url(world, "submission")).json()["answers"]
    assert answers[str(world.scale.pk)] == 4
    assert answers[str(world.multiple.pk)] == ["ngo", "labour"]


def test_a_bad_choice_over_the_api_is_refused_field_by_field(api_client):
    world = answer_world()
    api_client.force_authenticate(world.member.user)
    response = api_client.put(_url(world, "draft"), {"answers": {str(world.single.pk): "army"}}, format="json")
    assert response.status_code == 400
    assert response.json()[f"q_{world.single.pk}"] == ["Choose one of the options given."]
    assert not Draft.objects.exists()


def test_nobody_reaches_another_persons_draft_or_answers(api_client):
    world, other = answer_world(anonymous=False), answer_world()
    api_client.force_authenticate(world.member.user)
    api_client.put(_url(world, "draft"), {"answers": {str(world.text.pk): "MINE"}}, format="json")
    # A team-mate of the same cohort sees their own (empty) draft, never another's.
    api_client.force_authenticate(world.members[1].user)
    assert api_client.get(_url(world, "draft")).json()["answers"] == {}
    # Another cohort's participant, and the cohort's staff, cannot address the administration at all.
    for user in (other.member.user, world.facilitator):
        api_client.force_authenticate(user)
        assert api_client.get(_url(world)).status_code == 404
        assert api_client.get(_url(world, "draft")).status_code == 404
        assert api_client.get(_url(world, "submission")).status_code == 404
        put = api_client.put(_url(world, "draft"), {"answers": {}}, format="json")
        assert put.status_code == 404
        submit = api_client.post(_url(world, "submit"), {"answers": world.full_answers()}, format="json")
        assert submit.status_code == 404
    assert Draft.objects.get().answers == {str(world.text.pk): "MINE"}
    assert not Completion.objects.exists()


def test_anonymous_callers_are_asked_to_sign_in(api_client):
    world = answer_world()
    assert api_client.get(reverse("api:myreflection-list")).status_code == 401
    assert api_client.get(_url(world, "draft")).status_code == 401
