"""Answering: every question kind, drafts, one submission, refusals that write nothing, anonymous storage."""

import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamMembershipFactory
from participants.tests.factories import ParticipantFactory
from reflections import services
from reflections.models import Answer, Completion, Draft, Response
from reflections.tests.answer_world import answer_world

pytestmark = pytest.mark.django_db


def _nothing_written(world) -> None:
    assert not Response.objects.filter(administration=world.administration).exists()
    assert not Completion.objects.filter(administration=world.administration).exists()


def test_every_question_kind_is_stored_by_its_own_column():
    world = answer_world()
    response = services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    answers = {answer.question_id: answer for answer in response.answers.all()}
    assert answers[world.text.pk].text == "We shared the victim's file too late."
    assert answers[world.scale.pk].number == 4
    assert answers[world.single.pk].choices == ["police"]
    # Kept in the questionnaire's order of choices, whatever order they came in.
    assert answers[world.multiple.pk].choices == ["ngo", "labour"]
    assert answers[world.yes_no.pk].yes is True
    assert world.section.pk not in answers  # a heading takes no answer
    assert response.source == Response.Source.ONLINE


def test_form_strings_are_understood_like_json_values():
    world = answer_world()
    answers = {
        str(world.text.pk): "  Text  ",
        str(world.scale.pk): "5",
        str(world.single.pk): "ngo",
        str(world.multiple.pk): "police",
        str(world.yes_no.pk): "no",
    }
    response = services.response_submit(administration=world.administration, participant=world.member, answers=answers)
    stored = {a.question_id: a for a in response.answers.all()}
    assert stored[world.text.pk].text == "Text"
    assert stored[world.scale.pk].number == 5
    assert stored[world.multiple.pk].choices == ["police"]
    assert stored[world.yes_no.pk].yes is False


def test_optional_questions_may_stay_empty_and_store_nothing():
    world = answer_world()
    answers = {str(world.text.pk): "Enough", str(world.scale.pk): 1, str(world.multiple.pk): []}
    response = services.response_submit(administration=world.administration, participant=world.member, answers=answers)
    assert {a.question_id for a in response.answers.all()} == {world.text.pk, world.scale.pk}


def test_an_anonymous_response_names_nobody_has_a_day_not_a_time_and_the_draft_is_gone():
    world = answer_world(anonymous=True)
    services.draft_save(
        administration=world.administration, participant=world.member, answers={str(world.text.pk): "first"}
    )
    now = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # already 1 December in Warsaw
    world.administration.opens_at = now - dt.timedelta(days=1)
    world.administration.save()
    response = services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers(), now=now
    )
    assert response.submitted_on == dt.date(2026, 12, 1)
    assert not Draft.objects.filter(administration=world.administration).exists()
    completion = Completion.objects.get(administration=world.administration)
    assert completion.participant == world.member
    assert completion.response is None  # nothing joins the person to their answers
    field_names = {f.name for f in Response._meta.get_fields()} | {f.name for f in Answer._meta.get_fields()}
    assert not field_names & {"participant", "user", "created_at", "language", "completed_at"}
    assert isinstance(response.pk, type(Answer.objects.first().pk))  # random UUID keys, no order


def test_a_named_response_is_linked_to_the_persons_completion():
    world = answer_world(anonymous=False)
    response = services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    assert Completion.objects.get(administration=world.administration).response == response


def test_a_run_questionnaire_keeps_the_persons_team():
    world = answer_world()
    run = ExerciseRunFactory(cohort=world.administration.cohort)
    team = RunTeamFactory(run=run)
    enrolment = world.member.enrolments.get()
    TeamMembershipFactory(run=run, team=team, enrolment=enrolment)
    world.administration.run = run
    world.administration.save()
    response = services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    assert response.team == team


def test_draft_is_saved_then_edited_in_place():
    world = answer_world()
    draft = services.draft_save(
        administration=world.administration,
        participant=world.member,
        answers={str(world.text.pk): "first thoughts"},
        language="pl",
    )
    assert draft.answers == {str(world.text.pk): "first thoughts"}
    assert draft.language == "pl"
    again = services.draft_save(
        administration=world.administration,
        participant=world.member,
        answers={str(world.text.pk): "second thoughts", str(world.scale.pk): "2"},
    )
    assert again.pk == draft.pk
    assert Draft.objects.get().answers == {str(world.text.pk): "second thoughts", str(world.scale.pk): 2}
    assert not Response.objects.exists()


def test_a_draft_with_a_bad_value_is_refused_and_the_old_draft_kept():
    world = answer_world()
    services.draft_save(
        administration=world.administration, participant=world.member, answers={str(world.text.pk): "ok"}
    )
    with pytest.raises(ApplicationError) as refused:
        services.draft_save(
            administration=world.administration, participant=world.member, answers={str(world.single.pk): "army"}
        )
    assert f"q_{world.single.pk}" in refused.value.field_errors
    assert Draft.objects.get().answers == {str(world.text.pk): "ok"}


def test_required_questions_are_named_one_by_one():
    world = answer_world()
    with pytest.raises(ApplicationError) as refused:
        services.response_submit(
            administration=world.administration, participant=world.member, answers={str(world.single.pk): "ngo"}
        )
    errors = refused.value.field_errors
    assert errors[f"q_{world.text.pk}"] == ["This question needs an answer."]
    assert errors[f"q_{world.scale.pk}"] == ["This question needs an answer."]
    assert f"q_{world.single.pk}" not in errors
    _nothing_written(world)


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("single", "army", "Choose one of the options given."),
        ("multiple", ["ngo", "army"], "Choose only among the options given."),
        ("scale", 6, "Choose a point from 1 to 5."),
        ("scale", "٥", "Choose a point from 1 to 5."),
        ("scale", True, "Choose a point from 1 to 5."),
        ("yes_no", "maybe", "Answer yes or no."),
        ("text", "x" * 5001, "Write at most 5000 characters (this has 5001)."),
        ("text", 12, "Write text here."),
    ],
)
def test_bad_values_get_a_message_on_their_question_and_change_nothing(question, value, message):
    world = answer_world()
    answers = {**world.full_answers(), str(getattr(world, question).pk): value}
    with pytest.raises(ApplicationError) as refused:
        services.response_submit(administration=world.administration, participant=world.member, answers=answers)
    assert refused.value.field_errors[f"q_{getattr(world, question).pk}"] == [message]
    _nothing_written(world)


def test_an_answer_to_a_question_of_another_questionnaire_is_refused():
    world, other = answer_world(), answer_world()
    answers = {**world.full_answers(), str(other.text.pk): "elsewhere"}
    with pytest.raises(ApplicationError) as refused:
        services.response_submit(administration=world.administration, participant=world.member, answers=answers)
    assert str(other.text.pk) in refused.value.field_errors["answers"][0]
    _nothing_written(world)


def test_answering_twice_is_refused_and_keeps_one_response():
    world = answer_world()
    services.response_submit(
        administration=world.administration, participant=world.member, answers=world.full_answers()
    )
    with pytest.raises(ApplicationError, match="already answered"):
        services.response_submit(
            administration=world.administration, participant=world.member, answers=world.full_answers()
        )
    with pytest.raises(ApplicationError, match="already answered"):
        services.draft_save(administration=world.administration, participant=world.member, answers={})
    assert Response.objects.count() == 1
    assert Completion.objects.count() == 1


def test_a_closed_questionnaire_takes_no_answer_and_no_draft():
    world = answer_world()
    later = world.administration.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ApplicationError, match="has closed"):
        services.response_submit(
            administration=world.administration, participant=world.member, answers=world.full_answers(), now=later
        )
    with pytest.raises(ApplicationError, match="has closed"):
        services.draft_save(administration=world.administration, participant=world.member, answers={}, now=later)
    _nothing_written(world)
    assert not Draft.objects.exists()


def test_a_questionnaire_not_open_yet_takes_no_answer():
    now = timezone.now()
    world = answer_world(opens_at=now + dt.timedelta(hours=2), closes_at=now + dt.timedelta(days=2))
    with pytest.raises(ApplicationError, match="not open yet"):
        services.response_submit(
            administration=world.administration, participant=world.member, answers=world.full_answers()
        )
    _nothing_written(world)


def test_someone_outside_the_cohort_cannot_answer():
    world = answer_world()
    stranger = ParticipantFactory()
    with pytest.raises(ApplicationError, match="your own cohorts"):
        services.response_submit(
            administration=world.administration, participant=stranger, answers=world.full_answers()
        )
    with pytest.raises(ApplicationError, match="your own cohorts"):
        services.draft_save(administration=world.administration, participant=stranger, answers={})
    _nothing_written(world)
    assert not Draft.objects.exists()


def test_a_language_not_offered_is_refused():
    world = answer_world()
    with pytest.raises(ApplicationError) as refused:
        services.draft_save(administration=world.administration, participant=world.member, answers={}, language="xx")
    assert "language" in refused.value.field_errors


# --- paper --------------------------------------------------------------------------------------


def test_paper_answers_of_an_anonymous_questionnaire_name_nobody():
    world = answer_world(anonymous=True)
    response = services.paper_response_enter(
        administration=world.administration, by=world.facilitator, answers={str(world.scale.pk): "3"}
    )
    assert response.source == Response.Source.PAPER
    assert response.answers.get().number == 3  # required questions may be blank on paper
    assert not Completion.objects.exists()
    with pytest.raises(ApplicationError) as refused:
        services.paper_response_enter(
            administration=world.administration,
            by=world.facilitator,
            answers={str(world.scale.pk): "3"},
            participant=world.member,
        )
    assert "participant" in refused.value.field_errors
    assert Response.objects.count() == 1


def test_paper_answers_of_a_named_questionnaire_complete_the_person_once():
    world = answer_world(anonymous=False)
    response = services.paper_response_enter(
        administration=world.administration,
        by=world.facilitator,
        answers=world.full_answers(),
        participant=world.member,
    )
    assert Completion.objects.get().response == response
    with pytest.raises(ApplicationError) as refused:
        services.paper_response_enter(
            administration=world.administration,
            by=world.facilitator,
            answers=world.full_answers(),
            participant=world.member,
        )
    assert refused.value.field_errors["participant"] == ["This person has already answered."]
    assert Response.objects.count() == 1


def test_paper_answers_are_for_the_cohorts_facilitators_and_may_come_after_closing():
    world = answer_world()
    with pytest.raises(ApplicationError, match="facilitators"):
        services.paper_response_enter(
            administration=world.administration, by=world.member.user, answers=world.full_answers()
        )
    later = world.administration.closes_at + dt.timedelta(days=1)
    services.paper_response_enter(
        administration=world.administration, by=world.facilitator, answers=world.full_answers(), now=later
    )
    assert Response.objects.count() == 1


def test_an_empty_paper_sheet_is_refused():
    world = answer_world()
    with pytest.raises(ApplicationError, match="no answers"):
        services.paper_response_enter(administration=world.administration, by=world.facilitator, answers={})
    assert not Response.objects.exists()
