"""Building questionnaires (reflections.services.questionnaires): every kind, choices and their keys,
order, translations, duplication; each refusal changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory
from core.exceptions import ApplicationError
from reflections import services
from reflections.models import Answer, Choice, Question, Questionnaire, Response
from reflections.services import ChoiceInput, QuestionInput
from reflections.tests.factories import AdministrationFactory, ChoiceFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _snapshot(questionnaire):
    return [
        (q.order, q.kind, q.text, q.required, q.scale_max, q.translations, [(c.key, c.label) for c in q.choices.all()])
        for q in Question.objects.filter(questionnaire=questionnaire).prefetch_related("choices").order_by("order")
    ]


def _answer(question, **values):
    administration = AdministrationFactory(questionnaire=question.questionnaire)
    response = Response.objects.create(administration=administration, submitted_on=timezone.localdate())
    return Answer.objects.create(response=response, question=question, **values)


def test_a_facilitator_builds_a_questionnaire_with_every_kind_of_question():
    by = FacilitatorFactory()
    objective = LearningObjectiveFactory(code="cooperation")
    questionnaire = services.questionnaire_create(by=by, data={"title": "After the exercise", "language": "en"})
    inputs = [
        QuestionInput(kind="section", text="About you"),
        QuestionInput(kind="text", text="What went well?", required=True, objective=objective),
        QuestionInput(kind="scale", text="Confidence?", scale_max=7, low_label="Low", high_label="High"),
        QuestionInput(kind="single", text="Role?", choices=[ChoiceInput(label="Police officer"), ChoiceInput("Guard")]),
        QuestionInput(kind="multiple", text="Which?", choices=[ChoiceInput("A", key="a"), ChoiceInput("B", key="b")]),
        QuestionInput(kind="yes_no", text="Again?"),
    ]
    for data in inputs:
        services.question_create(questionnaire=questionnaire, by=by, data=data)

    questions = list(questionnaire.questions.order_by("order"))
    assert [q.order for q in questions] == [1, 2, 3, 4, 5, 6]
    assert [q.kind for q in questions] == ["section", "text", "scale", "single", "multiple", "yes_no"]
    assert questions[1].required
    assert questions[1].objective == objective
    assert (questions[2].scale_max, questions[2].low_label, questions[2].high_label) == (7, "Low", "High")
    assert [(c.key, c.label) for c in questions[3].choices.all()] == [
        ("police-officer", "Police officer"),
        ("guard", "Guard"),
    ]
    assert questionnaire.created_by == by


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (QuestionInput(kind="scale", text="How?", scale_max=6), "scale_max"),
        (QuestionInput(kind="section", text="Part 1", required=True), "required"),
        (QuestionInput(kind="single", text="One?", choices=[ChoiceInput("Only")]), "choices"),
        (QuestionInput(kind="single", text="One?", choices=[ChoiceInput("A b"), ChoiceInput("A-b")]), "choices"),
        (QuestionInput(kind="text", text="T", choices=[ChoiceInput("A"), ChoiceInput("B")]), "choices"),
        (QuestionInput(kind="text", text="  "), "text"),
        (QuestionInput(kind="essay", text="T"), "kind"),
        (QuestionInput(kind="text", text="T", translations={"xx": {"text": "?"}}), "translations"),
        (QuestionInput(kind="text", text="T", help_text="h" * 256), "help_text"),
    ],
)
def test_bad_question_input_gets_a_field_error_and_writes_nothing(data, field):
    questionnaire = QuestionnaireFactory(created_by=FacilitatorFactory())
    QuestionFactory(questionnaire=questionnaire, order=1)
    before = _snapshot(questionnaire)
    with pytest.raises(ApplicationError) as error:
        services.question_create(questionnaire=questionnaire, by=questionnaire.created_by, data=data)
    assert field in error.value.field_errors
    assert _snapshot(questionnaire) == before


def test_only_coordinators_and_the_author_change_a_questionnaire():
    author, colleague, participant = FacilitatorFactory(), FacilitatorFactory(), ParticipantUserFactory()
    questionnaire = QuestionnaireFactory(created_by=author)
    data = QuestionInput(kind="text", text="Why?")
    for user in (colleague, participant):
        with pytest.raises(ApplicationError):
            services.question_create(questionnaire=questionnaire, by=user, data=data)
        with pytest.raises(ApplicationError):
            services.questionnaire_update(questionnaire=questionnaire, by=user, data={"title": "Mine"})
    with pytest.raises(ApplicationError):
        services.questionnaire_create(by=participant, data={"title": "Mine"})
    services.question_create(questionnaire=questionnaire, by=CoordinatorFactory(), data=data)
    services.question_create(questionnaire=questionnaire, by=author, data=data)
    assert questionnaire.questions.count() == 2
    assert Questionnaire.objects.get(pk=questionnaire.pk).title == questionnaire.title


def test_moving_questions_renumbers_them_without_gaps_and_stops_at_the_ends():
    by = CoordinatorFactory()
    questionnaire = QuestionnaireFactory()
    one, two, three = (QuestionFactory(questionnaire=questionnaire, order=n) for n in (1, 2, 3))
    services.question_move(question=three, by=by, up=True)
    assert list(questionnaire.questions.order_by("order").values_list("pk", flat=True)) == [one.pk, three.pk, two.pk]
    services.question_move(question=one, by=by, up=True)  # already first
    services.question_move(question=two, by=by, up=False)  # already last
    assert list(questionnaire.questions.order_by("order").values_list("order", flat=True)) == [1, 2, 3]
    services.question_delete(question=three, by=by)
    assert list(questionnaire.questions.order_by("order").values_list("pk", "order")) == [(one.pk, 1), (two.pk, 2)]
    services.questions_reorder(questionnaire=questionnaire, by=by, ordered_ids=[two.pk, one.pk])
    assert list(questionnaire.questions.order_by("order").values_list("pk", flat=True)) == [two.pk, one.pk]
    with pytest.raises(ApplicationError):
        services.questions_reorder(questionnaire=questionnaire, by=by, ordered_ids=[two.pk])


def test_answered_questions_and_choices_stay_while_their_wording_may_change():
    by = CoordinatorFactory()
    question = QuestionFactory(kind="single", text="Role?")
    ChoiceFactory(question=question, key="police", label="Police", order=1)
    ChoiceFactory(question=question, key="guard", label="Guard", order=2)
    _answer(question, choices=["police"])
    before = _snapshot(question.questionnaire)

    with pytest.raises(ApplicationError) as error:
        services.question_delete(question=question, by=by)
    assert "answers" in str(error.value.message)
    for data, field in [
        (
            QuestionInput(kind="single", text="Role?", choices=[ChoiceInput("Guard", key="guard"), ChoiceInput("X")]),
            "choices",
        ),
        (QuestionInput(kind="text", text="Role?"), "kind"),
    ]:
        with pytest.raises(ApplicationError) as error:
            services.question_update(question=question, by=by, data=data)
        assert field in error.value.field_errors
    assert _snapshot(question.questionnaire) == before

    services.question_update(
        question=question,
        by=by,
        data=QuestionInput(
            kind="single",
            text="Your role?",
            choices=[ChoiceInput("Police officer", key="police"), ChoiceInput("Border guard", key="guard")],
        ),
    )
    question.refresh_from_db()
    assert question.text == "Your role?"
    assert [(c.key, c.label) for c in question.choices.all()] == [
        ("police", "Police officer"),
        ("guard", "Border guard"),
    ]


def test_a_changed_label_without_a_key_keeps_no_stale_choice_and_choices_reorder():
    by = CoordinatorFactory()
    question = QuestionFactory(kind="single")
    services.question_update(
        question=question,
        by=by,
        data=QuestionInput(kind="single", text="Q", choices=[ChoiceInput("A"), ChoiceInput("B")]),
    )
    first = {c.key: c.pk for c in question.choices.all()}
    services.question_update(
        question=question,
        by=by,
        data=QuestionInput(kind="single", text="Q", choices=[ChoiceInput("B"), ChoiceInput("A")]),
    )
    assert [(c.key, c.order) for c in question.choices.all()] == [("b", 1), ("a", 2)]
    assert {c.key: c.pk for c in question.choices.all()} == first  # the same rows, keys unchanged


def test_translations_are_saved_per_question_and_choice_and_unknown_ids_refused():
    by = CoordinatorFactory()
    questionnaire = QuestionnaireFactory()
    question = QuestionFactory(questionnaire=questionnaire, kind="single")
    choice = ChoiceFactory(question=question)
    other = ChoiceFactory()
    with pytest.raises(ApplicationError):
        services.questionnaire_translations_save(
            questionnaire=questionnaire,
            by=by,
            questions={question.pk: {"pl": {"text": "Rola?"}}},
            choices={other.pk: {}},
        )
    question.refresh_from_db()
    assert question.translations == {}
    services.questionnaire_translations_save(
        questionnaire=questionnaire,
        by=by,
        questions={question.pk: {"pl": {"text": "Rola?", "help_text": ""}, "de": {"text": " "}}},
        choices={choice.pk: {"pl": "Policja", "ro": ""}},
    )
    question.refresh_from_db()
    choice.refresh_from_db()
    assert question.translations == {"pl": {"text": "Rola?"}}
    assert choice.translations == {"pl": "Policja"}


def test_a_copy_carries_questions_choices_and_translations_and_remembers_its_original():
    template = QuestionnaireFactory(is_template=True, title="Seed")
    question = QuestionFactory(questionnaire=template, kind="single", translations={"pl": {"text": "Rola?"}})
    ChoiceFactory(question=question, key="police", label="Police", translations={"pl": "Policja"})
    QuestionFactory(questionnaire=template, kind="scale", scale_max=7)
    by = FacilitatorFactory()

    copy = services.questionnaire_duplicate(questionnaire=template, by=by, title="Warsaw reflection")

    assert (copy.title, copy.duplicated_from, copy.created_by, copy.is_template) == (
        "Warsaw reflection",
        template,
        by,
        False,
    )
    original, copied = _snapshot(template), _snapshot(copy)
    assert copied == original
    assert Choice.objects.get(question__questionnaire=copy).translations == {"pl": "Policja"}
    # The facilitator may not see another facilitator's private questionnaire, so may not copy it.
    private = QuestionnaireFactory(created_by=FacilitatorFactory())
    with pytest.raises(ApplicationError):
        services.questionnaire_duplicate(questionnaire=private, by=by)


def test_a_questionnaire_in_use_is_not_deleted_nor_made_named_once_answered():
    by = CoordinatorFactory()
    question = QuestionFactory()
    questionnaire = question.questionnaire
    administration = AdministrationFactory(questionnaire=questionnaire)
    with pytest.raises(ApplicationError):
        services.questionnaire_delete(questionnaire=questionnaire, by=by)
    Response.objects.create(administration=administration, submitted_on=dt.date.today())
    with pytest.raises(ApplicationError) as error:
        services.questionnaire_update(questionnaire=questionnaire, by=by, data={"is_anonymous": False})
    assert "is_anonymous" in error.value.field_errors
    assert Questionnaire.objects.get(pk=questionnaire.pk).is_anonymous is True
    unused = QuestionnaireFactory()
    services.questionnaire_delete(questionnaire=unused, by=by)
    assert not Questionnaire.objects.filter(pk=unused.pk).exists()
