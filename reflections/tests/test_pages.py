"""The builder's and the giving pages: forms call the services, refusals show field errors and save nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from exercises.tests.factories import ExerciseRunFactory
from reflections.models import Administration, Question, Questionnaire
from reflections.querysets import QuestionnaireQuerySet
from reflections.tests.factories import (
    AdministrationFactory,
    ChoiceFactory,
    QuestionFactory,
    QuestionnaireFactory,
)
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client):
    user = FacilitatorFactory()
    client.force_login(user)
    return user


def _url(name, **kwargs):
    return reverse(f"reflections:{name}", kwargs=kwargs)


def test_a_facilitator_creates_a_questionnaire_and_adds_questions_one_at_a_time(client, author):
    response = client.post(
        _url("questionnaire_create"), {"title": "After the simulation", "language": "en", "is_anonymous": "on"}
    )
    questionnaire = Questionnaire.objects.get(title="After the simulation")
    assert response.status_code == 302
    assert questionnaire.created_by == author
    response = client.post(
        _url("question_create", pk=questionnaire.pk),
        {"kind": "single", "text": "Your agency?", "choices": "Police\nngo=NGO", "required": "on", "another": "1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/questions/new/")
    question = questionnaire.questions.get()
    assert [(c.key, c.label) for c in question.choices.all()] == [("police", "Police"), ("ngo", "NGO")]
    page = client.get(_url("questionnaire_detail", pk=questionnaire.pk))
    assert page.status_code == 200
    assert "Your agency?" in page.content.decode()
    assert "Anonymous" in page.content.decode()


def test_a_bad_question_shows_the_error_by_its_field_and_saves_nothing(client, author):
    questionnaire = QuestionnaireFactory(created_by=author)
    response = client.post(
        _url("question_create", pk=questionnaire.pk), {"kind": "scale", "text": "How sure?", "scale_max": ""}
    )
    assert response.status_code == 400
    assert "A scale has 5 or 7 points." in str(response.context["form"].errors["scale_max"])
    assert not questionnaire.questions.exists()


def test_editing_keeps_the_translations_and_moving_swaps_neighbours(client, author):
    questionnaire = QuestionnaireFactory(created_by=author)
    first = QuestionFactory(questionnaire=questionnaire, order=1, translations={"pl": {"text": "Pierwsze?"}})
    second = QuestionFactory(questionnaire=questionnaire, order=2)
    response = client.post(
        _url("question_edit", pk=questionnaire.pk, question_pk=first.pk), {"kind": "text", "text": "First, reworded?"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.text, first.translations) == ("First, reworded?", {"pl": {"text": "Pierwsze?"}})
    client.post(_url("question_move", pk=questionnaire.pk, question_pk=second.pk), {"direction": "up"})
    assert list(questionnaire.questions.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    # A question of another questionnaire is not found through this one.
    stranger = QuestionFactory()
    assert client.get(_url("question_edit", pk=questionnaire.pk, question_pk=stranger.pk)).status_code == 404


def test_the_translations_page_has_a_column_per_other_language_and_saves_them(client, author):
    questionnaire = QuestionnaireFactory(created_by=author, language="en")
    question = QuestionFactory(questionnaire=questionnaire, kind="single", text="Role?")
    choice = ChoiceFactory(question=question, label="Police")
    page = client.get(_url("questionnaire_translations", pk=questionnaire.pk))
    assert [code for code, _name in page.context["form"].languages] == ["pl", "de", "ro", "bg"]
    response = client.post(
        _url("questionnaire_translations", pk=questionnaire.pk),
        {f"q_{question.pk}_pl_text": "Rola?", f"c_{choice.pk}_pl": "Policja", f"c_{choice.pk}_de": "Polizei"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    choice.refresh_from_db()
    assert question.translations == {"pl": {"text": "Rola?"}}
    assert choice.translations == {"pl": "Policja", "de": "Polizei"}


def test_new_from_a_template_copies_it_for_the_facilitator(client, author):
    template = QuestionnaireFactory(is_template=True, title="Seed reflection")
    QuestionFactory(questionnaire=template)
    response = client.post(_url("questionnaire_duplicate", pk=template.pk), {"title": "Warsaw"})
    copy = Questionnaire.objects.get(title="Warsaw")
    assert response.status_code == 302
    assert (copy.duplicated_from, copy.created_by, copy.questions.count()) == (template, author, 1)


def test_import_page_lists_refused_cells_and_export_downloads_csv(client, author):
    questionnaire = QuestionnaireFactory(created_by=author)
    upload = SimpleUploadedFile("q.csv", b"kind,text\nessay,Why?\n", content_type="text/csv")
    response = client.post(_url("questionnaire_import", pk=questionnaire.pk), {"file": upload})
    assert response.status_code == 400
    assert [(c.line, c.column) for c in response.context["cells"]] == [(2, "kind")]
    assert not questionnaire.questions.exists()
    upload = SimpleUploadedFile("q.csv", b"kind,text\ntext,Why?\n", content_type="text/csv")
    assert client.post(_url("questionnaire_import", pk=questionnaire.pk), {"file": upload}).status_code == 302
    download = client.get(_url("questionnaire_export", pk=questionnaire.pk), {"delimiter": "semicolon"})
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.decode("utf-8-sig").startswith("order;kind;text")


def test_giving_a_questionnaire_to_a_cohort_and_to_a_run_from_their_pages(client, author):
    cohort = CohortFactory(facilitators=[author])
    run = ExerciseRunFactory(cohort=cohort)
    questionnaire = QuestionnaireFactory(created_by=author)
    QuestionFactory(questionnaire=questionnaire)
    opens = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    data = {
        "questionnaire": questionnaire.pk,
        "stage": "pre",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "min_respondents": 5,
        "remind_after_hours": 24,
    }
    assert client.post(_url("cohort_reflections", slug=cohort.slug), data).status_code == 302
    assert client.post(_url("run_reflections", pk=run.pk), {**data, "stage": "once"}).status_code == 302
    given = Administration.objects.order_by("pk")
    assert [(a.cohort, a.run, a.stage) for a in given] == [(cohort, None, "pre"), (cohort, run, "once")]
    assert given[0].reminders.count() == 2
    bad = client.post(_url("cohort_reflections", slug=cohort.slug), {**data, "closes_at": data["opens_at"]})
    assert bad.status_code == 400
    assert "closes_at" in bad.context["form"].errors
    assert Administration.objects.count() == 2
    page = client.get(_url("cohort_reflections", slug=cohort.slug))
    assert len(page.context["administrations"]) == 2


def test_changing_closing_and_deleting_what_was_given(client, author):
    administration = AdministrationFactory(cohort=CohortFactory(facilitators=[author]))
    response = client.post(
        _url("administration_edit", pk=administration.pk),
        {
            "stage": "post",
            "opens_at": administration.opens_at.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (administration.closes_at + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "min_respondents": 6,
        },
    )
    assert response.status_code == 302
    administration.refresh_from_db()
    assert (administration.stage, administration.min_respondents) == ("post", 6)
    client.post(_url("administration_close", pk=administration.pk))
    administration.refresh_from_db()
    assert administration.closes_at <= timezone.now()
    client.post(_url("administration_delete", pk=administration.pk))
    assert not Administration.objects.filter(pk=administration.pk).exists()


def test_the_list_page_keeps_its_query_count(client, django_assert_max_num_queries):
    client.force_login(CoordinatorFactory())
    for _ in range(10):
        questionnaire = QuestionnaireFactory()
        QuestionFactory.create_batch(3, questionnaire=questionnaire)
    with django_assert_max_num_queries(12):
        assert client.get(_url("questionnaire_list")).status_code == 200
    assert isinstance(Questionnaire.objects.all(), QuestionnaireQuerySet)
    assert Question.objects.count() == 30


@pytest.mark.parametrize("count", [3, 20])
def test_the_builder_and_the_cohort_page_keep_their_query_counts(client, author, count, django_assert_max_num_queries):
    questionnaire = QuestionnaireFactory(created_by=author, duplicated_from=QuestionnaireFactory())
    cohort = CohortFactory(facilitators=[author])
    for _ in range(count):
        ChoiceFactory.create_batch(2, question=QuestionFactory(questionnaire=questionnaire, kind="single"))
        AdministrationFactory(questionnaire=questionnaire, cohort=cohort, run=ExerciseRunFactory(cohort=cohort))
    with django_assert_max_num_queries(14):
        assert client.get(_url("questionnaire_detail", pk=questionnaire.pk)).status_code == 200
    with django_assert_max_num_queries(14):
        page = client.get(_url("cohort_reflections", slug=cohort.slug))
    assert len(page.context["administrations"]) == count
