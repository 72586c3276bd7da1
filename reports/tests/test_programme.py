"""The programme view's figures on a small hand-built dataset with known values."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct.tests.factories import MessageFactory, MessageRecipientFactory, ObservationFactory
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamRoleFactory
from participants.models import Enrolment
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from reflections.models import Answer, Question, Response
from reflections.tests.factories import AdministrationFactory, QuestionFactory, QuestionnaireFactory
from reports import programme
from trainings.models import AgencyKind
from trainings.tests.factories import AgencyFactory, CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 5)
T0 = dt.datetime(2025, 1, 3, 10, 0, tzinfo=dt.UTC)


def _administration(cohort, question, stage, numbers, minimum=3):
    administration = AdministrationFactory(
        cohort=cohort, questionnaire=question.questionnaire, stage=stage, min_respondents=minimum
    )
    for number in numbers:
        response = Response.objects.create(administration=administration, submitted_on=TODAY)
        Answer.objects.create(response=response, question=question, number=number)
    return administration


def _reply(run, sender, recipient, seconds):
    message = MessageFactory(run=run, sender_team=sender, sent_at=T0)
    replied = None if seconds is None else T0 + dt.timedelta(seconds=seconds)
    MessageRecipientFactory(message=message, team=recipient, first_reply_at=replied)


@pytest.fixture
def dataset():
    objective = LearningObjectiveFactory(code="cooperation", title="Cooperation")
    other_objective = LearningObjectiveFactory(code="victims", title="Victims")
    early = CohortFactory(name="Early", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 10))
    late = CohortFactory(name="Late", start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 5, 10))
    early_run, late_run = ExerciseRunFactory(cohort=early), ExerciseRunFactory(cohort=late)

    for rating in (2, 3, 5):
        ObservationFactory(run=early_run, objective=objective, rating=rating)
    ObservationFactory(run=early_run, objective=objective, rating=None)  # not rated: left out
    ObservationFactory(run=early_run, objective=None, rating=1)  # no objective: left out
    for rating in (4, 4):
        ObservationFactory(run=late_run, objective=objective, rating=rating)
    ObservationFactory(run=late_run, objective=other_objective, rating=1)

    scale = QuestionFactory(
        questionnaire=QuestionnaireFactory(is_anonymous=True), kind=Question.Kind.SCALE, objective=objective
    )
    _administration(early, scale, "pre", [1, 2, 3])
    _administration(early, scale, "post", [4, 4, 5])
    _administration(late, scale, "pre", [2, 2, 2])
    _administration(late, scale, "post", [5, 5])  # two respondents, three needed: no figure for Late

    police = RunTeamFactory(run=early_run, team_role=TeamRoleFactory(exercise=early_run.exercise, agency_kind="police"))
    ngo = RunTeamFactory(run=early_run, team_role=TeamRoleFactory(exercise=early_run.exercise, agency_kind="ngo"))
    mixed = RunTeamFactory(
        run=early_run, team_role=TeamRoleFactory(exercise=early_run.exercise, agency_kind="", mixed=True)
    )
    _reply(early_run, police, ngo, 60)
    _reply(early_run, police, ngo, 180)
    _reply(early_run, police, ngo, None)  # never answered
    _reply(early_run, ngo, police, 30)
    _reply(early_run, police, mixed, 5)  # a mixed team has no agency kind

    police_pl = AgencyFactory(kind=AgencyKind.POLICE, country="PL")
    ngo_ro = AgencyFactory(kind=AgencyKind.NGO, country="RO")
    for status in ("completed", "enrolled", "withdrawn"):
        EnrolmentFactory(cohort=early, participant=ParticipantFactory(agency=police_pl, country=""), status=status)
    EnrolmentFactory(cohort=early, participant=ParticipantFactory(agency=ngo_ro, country="BG"), status="completed")
    # Late has not ended by TODAY: only completed enrolments count.
    EnrolmentFactory(cohort=late, participant=ParticipantFactory(agency=police_pl, country="PL"), status="completed")
    EnrolmentFactory(cohort=late, participant=ParticipantFactory(agency=police_pl), status=Enrolment.Status.ENROLLED)
    return early, late


def test_figures_match_the_hand_made_numbers(dataset, django_assert_max_num_queries):
    user = CoordinatorFactory()
    with django_assert_max_num_queries(8):  # the user's roles, then seven reads
        figures = programme.programme_figures(user=user, today=TODAY)
    assert [c.name for c in figures.cohorts] == ["Early", "Late"]
    assert figures.ratings.rows == [
        ["Early", "cooperation – Cooperation", 3, 3.33],
        ["Late", "cooperation – Cooperation", 2, 4.0],
        ["Late", "victims – Victims", 1, 1.0],
    ]
    assert figures.confidence.rows == [["Early", "cooperation – Cooperation", 2.0, 4.33, 2.33, 3, 3]]
    assert figures.response_times.rows == [
        ["Early", "Non-governmental organisation", "Police / law enforcement", 1, 30.0],
        ["Early", "Police / law enforcement", "Non-governmental organisation", 2, 120.0],
    ]
    assert figures.trained.rows == [
        ["Early", "Non-governmental organisation", "BG", 1],
        ["Early", "Police / law enforcement", "PL", 2],
        ["Late", "Police / law enforcement", "PL", 1],
    ]
    assert figures.trained_totals.rows == [
        ["Non-governmental organisation", "BG", 1],
        ["Police / law enforcement", "PL", 3],
    ]


def test_no_confidence_figure_below_the_threshold(dataset):
    early, _ = dataset
    # Early's post questionnaire asks for five respondents: it had three, so Early's figure goes too.
    early.questionnaire_administrations.filter(stage="post").update(min_respondents=5)
    figures = programme.programme_figures(user=CoordinatorFactory(), today=TODAY)
    assert figures.confidence.rows == []


def test_query_count_does_not_grow_with_cohorts(dataset, django_assert_max_num_queries):
    for _ in range(3):
        cohort = CohortFactory()
        ObservationFactory(run=ExerciseRunFactory(cohort=cohort), objective=LearningObjectiveFactory(), rating=3)
        EnrolmentFactory(cohort=cohort, status="completed")
    user = CoordinatorFactory()
    with django_assert_max_num_queries(8):  # the user's roles, then seven reads
        programme.programme_figures(user=user, today=TODAY)


def test_page_export_and_api_are_the_coordinators(dataset):
    coordinator, facilitator = CoordinatorFactory(), FacilitatorFactory()
    client = Client()
    client.force_login(facilitator)
    assert client.get(reverse("reports_actions:programme")).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("reports_actions:programme"))
    assert page.status_code == 200
    assert "cooperation – Cooperation" in page.content.decode()
    export = client.get(reverse("reports_actions:programme_export"), {"table": "trained", "delimiter": "semicolon"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert export["Content-Disposition"] == 'attachment; filename="programme-trained.csv"'
    assert lines[0] == "Cohort;Agency kind;Country;Participants"
    assert lines[1:] == [
        "Early;Non-governmental organisation;BG;1",
        "Early;Police / law enforcement;PL;2",
        "Late;Police / law enforcement;PL;2",  # Late has ended by now: its "enrolled" person counts too
    ]
    assert client.get(reverse("reports_actions:programme_export"), {"table": "secret"}).status_code == 404
    api = APIClient()
    api.force_authenticate(facilitator)
    assert api.get("/api/v1/programme/").status_code == 403
    api.force_authenticate(coordinator)
    data = api.get("/api/v1/programme/").json()
    assert data["confidence"] == [
        {
            "cohort": "Early",
            "objective": "cooperation – Cooperation",
            "before": 2.0,
            "after": 4.33,
            "change": 2.33,
            "respondents_before": 3,
            "respondents_after": 3,
        }
    ]
    assert [row["participants"] for row in data["trained_totals"]] == [1, 4]  # Late ended by now
    assert [c["name"] for c in data["cohorts"]] == ["Early", "Late"]
