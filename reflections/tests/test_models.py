"""The reflection models' invariants: what the database itself refuses, and the anonymity the schema keeps."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reflections.models import Administration, Answer, Completion, Question, Questionnaire, Reminder, Response
from trainings.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _administration(**fields):
    now = timezone.now()
    defaults = {
        "questionnaire": Questionnaire.objects.create(title="Reflection"),
        "cohort": CohortFactory(),
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=7),
    }
    return Administration.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("kind", "scale_max", "allowed"),
    [("scale", 5, True), ("scale", 7, True), ("scale", 6, False), ("scale", None, False), ("text", 5, False)],
)
def test_a_scale_has_five_or_seven_points_and_only_a_scale_has_points(kind, scale_max, allowed):
    questionnaire = Questionnaire.objects.create(title="Q")

    def create() -> Question:
        return Question.objects.create(questionnaire=questionnaire, order=1, kind=kind, text="?", scale_max=scale_max)

    if allowed:
        assert create().scale_max == scale_max
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


def test_a_section_heading_cannot_be_required():
    questionnaire = Questionnaire.objects.create(title="Q")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(questionnaire=questionnaire, order=1, kind="section", text="Part 1", required=True)


def test_an_administration_closes_after_it_opens_and_needs_two_respondents_at_least():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        _administration(opens_at=now, closes_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        _administration(min_respondents=1)
    assert _administration().min_respondents == 5


def test_a_person_completes_an_administration_once(django_user_model):
    from participants.tests.factories import ParticipantFactory

    administration, participant = _administration(), ParticipantFactory()
    Completion.objects.create(administration=administration, participant=participant, completed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(administration=administration, participant=participant, completed_at=timezone.now())


def test_responses_and_answers_have_random_keys_so_no_order_tells_who_answered_first():
    administration = _administration()
    question = Question.objects.create(questionnaire=administration.questionnaire, order=1, kind="text", text="?")
    responses = [
        Response.objects.create(administration=administration, submitted_on=dt.date(2026, 12, 1)) for _ in range(30)
    ]
    answers = [Answer.objects.create(response=r, question=question, text="x") for r in responses]
    created = [r.pk for r in responses]
    assert list(Response.objects.values_list("pk", flat=True)) != created  # ordered by key, not by arrival
    assert sorted(created) != created  # the keys themselves are not increasing
    assert len({a.pk for a in answers}) == 30
    assert {f.name for f in Response._meta.get_fields()}.isdisjoint({"participant", "user", "created_at", "language"})


def test_a_scheduled_reminder_exists_once_per_kind_but_reminders_sent_now_repeat():
    administration = _administration()
    now = timezone.now()
    Reminder.objects.create(administration=administration, kind="before_close", due_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(administration=administration, kind="before_close", due_at=now)
    Reminder.objects.create(administration=administration, kind="now", due_at=now)
    Reminder.objects.create(administration=administration, kind="now", due_at=now)
    assert administration.reminders.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_questionnaires_and_gives_old_scale_questions_five_points():
    executor = MigrationExecutor(connection)
    executor.migrate([("reflections", "0001_initial")])
    old = executor.loader.project_state([("reflections", "0001_initial")]).apps
    questionnaire = old.get_model("reflections", "Questionnaire").objects.create(title="Old")
    old.get_model("reflections", "Question").objects.create(
        questionnaire=questionnaire, order=1, kind="scale", text="Ready?", choices=[]
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Every app's leaves: going back unapplied the apps that depend on reflections (certificates, reports).
    executor.migrate(executor.loader.graph.leaf_nodes())
    question = Question.objects.get(questionnaire__title="Old")
    assert (question.kind, question.scale_max) == ("scale", 5)
