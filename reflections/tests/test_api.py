"""The questionnaire and administration API: nested questions, actions, the error shape, the rules."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from participants.tests.factories import EnrolmentFactory
from reflections.models import Administration, Answer, Question, Questionnaire, Response
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db

QUESTIONNAIRES = "/api/v1/questionnaires/"
ADMINISTRATIONS = "/api/v1/questionnaire-administrations/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _questions(questionnaire):
    return list(questionnaire.questions.order_by("order").values_list("kind", "text", "order"))


def test_a_facilitator_creates_a_questionnaire_with_nested_questions_and_choices():
    LearningObjectiveFactory(code="cooperation")
    client = _client(FacilitatorFactory())
    response = client.post(
        QUESTIONNAIRES,
        {
            "title": "After the run",
            "questions": [
                {"kind": "scale", "text": "Sure?", "scale_max": 7, "objective": "cooperation", "required": True},
                {
                    "kind": "single",
                    "text": "Role?",
                    "choices": [{"label": "Police", "translations": {"pl": "Policja"}}, {"key": "ngo", "label": "NGO"}],
                    "translations": {"pl": {"text": "Rola?"}},
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert [q["kind"] for q in body["questions"]] == ["scale", "single"]
    assert body["questions"][0]["objective"] == "cooperation"
    assert body["questions"][1]["choices"][0] == {
        "id": body["questions"][1]["choices"][0]["id"],
        "order": 1,
        "key": "police",
        "label": "Police",
        "translations": {"pl": "Policja"},
    }


def test_a_bad_nested_question_is_refused_in_the_error_shape_and_nothing_is_created():
    client = _client(FacilitatorFactory())
    response = client.post(
        QUESTIONNAIRES,
        {"title": "Broken", "questions": [{"kind": "scale", "text": "Sure?", "scale_max": 4}]},
        format="json",
    )
    assert response.status_code == 400
    assert "questions" in response.json()
    assert not Questionnaire.objects.exists()


def test_patch_makes_the_questions_exactly_the_list_and_refuses_dropping_answered_ones():
    by = CoordinatorFactory()
    questionnaire = QuestionnaireFactory()
    keep, drop = (
        QuestionFactory(questionnaire=questionnaire, order=1),
        QuestionFactory(questionnaire=questionnaire, order=2),
    )
    client = _client(by)
    url = f"{QUESTIONNAIRES}{questionnaire.pk}/"
    response = client.patch(
        url,
        {
            "title": "Renamed",
            "questions": [{"kind": "yes_no", "text": "New?"}, {"id": keep.pk, "kind": "text", "text": "Kept"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert _questions(questionnaire) == [("yes_no", "New?", 1), ("text", "Kept", 2)]
    assert not Question.objects.filter(pk=drop.pk).exists()

    administration = AdministrationFactory(questionnaire=questionnaire)
    answered = Response.objects.create(administration=administration, submitted_on=dt.date.today())
    Answer.objects.create(response=answered, question=keep, text="yes")
    response = client.patch(url, {"title": "Again", "questions": [{"kind": "text", "text": "Only"}]}, format="json")
    assert response.status_code == 400
    assert "questions" in response.json()
    assert Questionnaire.objects.get(pk=questionnaire.pk).title == "Renamed"
    assert _questions(questionnaire) == [("yes_no", "New?", 1), ("text", "Kept", 2)]


def test_actions_duplicate_reorder_export_import_and_delete():
    by = CoordinatorFactory()
    questionnaire = QuestionnaireFactory(is_template=True)
    one, two = (
        QuestionFactory(questionnaire=questionnaire, order=1),
        QuestionFactory(questionnaire=questionnaire, order=2),
    )
    client = _client(by)
    base = f"{QUESTIONNAIRES}{questionnaire.pk}/"

    copy = client.post(f"{base}duplicate/", {"title": "Copy"}, format="json")
    assert copy.status_code == 201
    assert copy.json()["duplicated_from"] == questionnaire.pk
    assert client.post(f"{base}reorder/", {"order": [two.pk, one.pk]}, format="json").status_code == 200
    assert list(questionnaire.questions.order_by("order").values_list("pk", flat=True)) == [two.pk, one.pk]
    assert client.post(f"{base}reorder/", {"order": [two.pk]}, format="json").status_code == 400

    exported = client.get(f"{base}export/", {"format": "xlsx"})
    assert exported.status_code == 200
    assert exported.content[:2] == b"PK"
    assert client.get(f"{base}export/", {"format": "json"}).json()["columns"][:3] == ["order", "kind", "text"]

    bad = client.post(
        f"{base}import/", {"file": SimpleUploadedFile("q.csv", b"kind,text\nessay,Why?\n")}, format="multipart"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"line": 2, "column": "kind", "message": bad.json()["errors"][0]["message"]}]
    good = client.post(
        f"{base}import/", {"file": SimpleUploadedFile("q.xlsx", exported.content), "replace": True}, format="multipart"
    )
    assert good.status_code == 200, good.data
    assert len(good.json()["questions"]) == 2

    new_id = copy.json()["id"]
    assert client.delete(f"{QUESTIONNAIRES}{new_id}/").status_code == 204
    AdministrationFactory(questionnaire=questionnaire)
    assert client.delete(base).status_code == 400
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_who_may_see_and_change_questionnaires_over_the_api(django_assert_max_num_queries):
    author, colleague = FacilitatorFactory(), FacilitatorFactory()
    mine = QuestionnaireFactory(created_by=author)
    template = QuestionnaireFactory(is_template=True)
    QuestionnaireFactory(created_by=colleague)
    for questionnaire in Questionnaire.objects.all():
        QuestionFactory.create_batch(3, questionnaire=questionnaire)

    with django_assert_max_num_queries(8):
        listed = _client(author).get(QUESTIONNAIRES).json()
    assert {row["id"] for row in listed["results"]} == {mine.pk, template.pk}
    assert _client(ParticipantUserFactory()).get(QUESTIONNAIRES).json()["results"] == []
    assert _client(ParticipantUserFactory()).post(QUESTIONNAIRES, {"title": "X"}, format="json").status_code == 403
    # The template is seen but not the colleague's to change: 403; someone else's private one: 404.
    assert _client(colleague).patch(f"{QUESTIONNAIRES}{template.pk}/", {"title": "X"}, format="json").status_code == 403
    assert _client(colleague).patch(f"{QUESTIONNAIRES}{mine.pk}/", {"title": "X"}, format="json").status_code == 404
    assert _client(colleague).post(f"{QUESTIONNAIRES}{template.pk}/duplicate/", {}, format="json").status_code == 201


def test_administrations_over_the_api_with_filters_and_close():
    by = FacilitatorFactory()
    cohort, other = CohortFactory(facilitators=[by]), CohortFactory()
    questionnaire = QuestionnaireFactory(created_by=by)
    QuestionFactory(questionnaire=questionnaire)
    client = _client(by)
    opens = timezone.now() - dt.timedelta(hours=1)
    data = {
        "questionnaire": questionnaire.pk,
        "cohort": cohort.pk,
        "opens_at": opens.isoformat(),
        "closes_at": (opens + dt.timedelta(days=3)).isoformat(),
        "remind_after_hours": 4,
    }
    created = client.post(ADMINISTRATIONS, data, format="json")
    assert created.status_code == 201, created.data
    assert {r["kind"] for r in created.json()["reminders"]} == {"after_run", "before_close"}
    refused = client.post(ADMINISTRATIONS, {**data, "cohort": other.pk}, format="json")
    assert refused.status_code == 400
    assert "cohort" in refused.json()
    assert client.post(ADMINISTRATIONS, {**data, "closes_at": data["opens_at"]}, format="json").status_code == 400
    assert Administration.objects.count() == 1

    pk = created.json()["id"]
    assert [row["id"] for row in client.get(ADMINISTRATIONS, {"cohort": cohort.pk}).json()["results"]] == [pk]
    assert client.get(ADMINISTRATIONS, {"cohort": other.pk}).json()["results"] == []
    patched = client.patch(f"{ADMINISTRATIONS}{pk}/", {"min_respondents": 7}, format="json")
    assert patched.status_code == 200
    assert patched.json()["min_respondents"] == 7
    member = EnrolmentFactory(cohort=cohort).participant.user
    assert _client(member).get(f"{ADMINISTRATIONS}{pk}/").status_code == 200
    assert _client(member).post(f"{ADMINISTRATIONS}{pk}/close/").status_code == 403
    closed = client.post(f"{ADMINISTRATIONS}{pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["reminders"] == []
    assert client.delete(f"{ADMINISTRATIONS}{pk}/").status_code == 204
