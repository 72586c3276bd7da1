"""Giving questionnaires to cohorts and runs (reflections.services.administrations) and their due reminders."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from core.exceptions import ApplicationError
from exercises.tests.factories import ExerciseRunFactory
from participants.tests.factories import EnrolmentFactory
from reflections import services
from reflections.models import Administration, Completion, Reminder
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _times(opens_in_hours=0, open_days=7):
    opens = timezone.now().replace(microsecond=0) + dt.timedelta(hours=opens_in_hours)
    return {"opens_at": opens, "closes_at": opens + dt.timedelta(days=open_days)}


def _questionnaire(by):
    questionnaire = QuestionnaireFactory(created_by=by)
    QuestionFactory(questionnaire=questionnaire)
    return questionnaire


def _reminders(administration):
    return {r.kind: r.due_at for r in administration.reminders.all()}


def test_a_facilitator_gives_a_questionnaire_to_their_cohort_with_reminders_after_opening_and_before_closing():
    by = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[by])
    times = _times()
    administration = services.administration_create(
        by=by,
        questionnaire=_questionnaire(by),
        cohort=cohort,
        data={**times, "stage": "pre", "min_respondents": 4, "remind_after_hours": 48},
    )
    assert (administration.cohort, administration.run, administration.stage, administration.min_respondents) == (
        cohort,
        None,
        "pre",
        4,
    )
    assert _reminders(administration) == {
        "after_run": times["opens_at"] + dt.timedelta(hours=48),
        "before_close": times["closes_at"] - dt.timedelta(days=1),
    }


def test_a_runs_reminder_follows_the_session_end_and_then_the_run_end():
    by = CoordinatorFactory()
    cohort = CohortFactory()
    session = SessionFactory(cohort=cohort)
    run = ExerciseRunFactory(cohort=cohort, session=session)
    times = {"opens_at": session.starts_at, "closes_at": session.ends_at + dt.timedelta(days=10)}
    administration = services.administration_create(
        by=by, questionnaire=_questionnaire(by), run=run, data={**times, "remind_after_hours": 2}
    )
    assert administration.cohort == cohort
    assert _reminders(administration)["after_run"] == session.ends_at + dt.timedelta(hours=2)

    run.started_at, run.ended_at = session.starts_at, session.ends_at + dt.timedelta(hours=1)
    run.save(update_fields=["started_at", "ended_at"])
    services.administration_update(administration=administration, by=by, data={"remind_after_hours": 3})
    assert _reminders(administration)["after_run"] == run.ended_at + dt.timedelta(hours=3)


def test_changing_times_rewrites_unsent_reminders_only():
    by = CoordinatorFactory()
    administration = services.administration_create(
        by=by, questionnaire=_questionnaire(by), cohort=CohortFactory(), data={**_times(), "remind_after_hours": 1}
    )
    sent_at = timezone.now()
    administration.reminders.filter(kind="after_run").update(swept_at=sent_at)
    sent_due = _reminders(administration)["after_run"]
    new = _times(open_days=20)
    services.administration_update(administration=administration, by=by, data={**new, "remind_after_hours": 5})
    assert _reminders(administration) == {"after_run": sent_due, "before_close": new["closes_at"] - dt.timedelta(1)}
    # Open for less than a day: no "day before closing"; no delay: no first reminder.
    services.administration_update(
        administration=administration,
        by=by,
        data={"closes_at": new["opens_at"] + dt.timedelta(hours=20), "remind_after_hours": None},
    )
    assert set(_reminders(administration)) == {"after_run"}  # the sent one stays on record


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"closes_at": timezone.now() - dt.timedelta(days=30)}, "closes_at"),
        ({"min_respondents": 1}, "min_respondents"),
        ({"stage": "later"}, "stage"),
        ({"remind_after_hours": 10_000}, "remind_after_hours"),
    ],
)
def test_bad_times_or_settings_are_refused_and_nothing_is_written(data, field):
    by = CoordinatorFactory()
    with pytest.raises(ApplicationError) as error:
        services.administration_create(
            by=by, questionnaire=_questionnaire(by), cohort=CohortFactory(), data={**_times(), **data}
        )
    assert field in error.value.field_errors
    assert not Administration.objects.exists()
    assert not Reminder.objects.exists()


def test_only_staff_of_the_cohort_give_a_questionnaire_and_only_one_they_see_with_questions():
    by = FacilitatorFactory()
    mine, theirs = CohortFactory(facilitators=[by]), CohortFactory()
    with pytest.raises(ApplicationError):
        services.administration_create(by=by, questionnaire=_questionnaire(by), cohort=theirs, data=_times())
    with pytest.raises(ApplicationError) as error:
        services.administration_create(
            by=by, questionnaire=_questionnaire(FacilitatorFactory()), cohort=mine, data=_times()
        )
    assert "questionnaire" in error.value.field_errors
    with pytest.raises(ApplicationError) as error:
        services.administration_create(
            by=by, questionnaire=QuestionnaireFactory(created_by=by), cohort=mine, data=_times()
        )
    assert "questionnaire" in error.value.field_errors
    other_run = ExerciseRunFactory(cohort=theirs)
    with pytest.raises(ApplicationError):
        services.administration_create(
            by=by, questionnaire=_questionnaire(by), cohort=mine, run=other_run, data=_times()
        )
    assert not Administration.objects.exists()


def test_closing_early_stops_answers_and_drops_unsent_reminders():
    by = CoordinatorFactory()
    administration = services.administration_create(
        by=by, questionnaire=_questionnaire(by), cohort=CohortFactory(), data={**_times(-2), "remind_after_hours": 48}
    )
    services.administration_close(administration=administration, by=by)
    administration.refresh_from_db()
    assert administration.closes_at <= timezone.now()
    assert not administration.reminders.exists()
    with pytest.raises(ApplicationError):
        services.administration_close(administration=administration, by=by)
    later = services.administration_create(
        by=by, questionnaire=_questionnaire(by), cohort=CohortFactory(), data=_times(opens_in_hours=5)
    )
    with pytest.raises(ApplicationError):
        services.administration_close(administration=later, by=by)


def test_an_administration_with_answers_is_not_deleted_and_its_stage_stays():
    by = CoordinatorFactory()
    administration = AdministrationFactory(questionnaire=_questionnaire(by))
    enrolment = EnrolmentFactory(cohort=administration.cohort)
    Completion.objects.create(
        administration=administration, participant=enrolment.participant, completed_at=timezone.now()
    )
    with pytest.raises(ApplicationError):
        services.administration_delete(administration=administration, by=by)
    assert Administration.objects.filter(pk=administration.pk).exists()
    empty = AdministrationFactory(questionnaire=administration.questionnaire)
    services.administration_delete(administration=empty, by=by)
    assert not Administration.objects.filter(pk=empty.pk).exists()
    with pytest.raises(ApplicationError):
        services.administration_delete(administration=administration, by=FacilitatorFactory())
