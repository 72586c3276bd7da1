"""Results, exports and the results API: distributions merged across languages, the anonymity
threshold (overall and per team), pre/post changes, exports without people, constant query counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import CoordinatorFactory
from participants.tests.factories import EnrolmentFactory
from reflections import results, selectors, services
from reflections.models import Administration, Answer, Question, Response
from reflections.tests.answer_world import AnswerWorld, answer_world
from reflections.tests.factories import AdministrationFactory
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def _answer_all(world: AnswerWorld, *, count: int | None = None, **overrides: object) -> None:
    for member in world.members[: count or len(world.members)]:
        answers = world.full_answers()
        answers.update({str(k): v for k, v in overrides.items()})
        services.response_submit(administration=world.administration, participant=member, answers=answers)


def _bulk_responses(world: AnswerWorld, n: int) -> None:
    """``n`` responses written directly (fast): the query-count tests need many."""
    import datetime as dt

    for i in range(n):
        response = Response.objects.create(administration=world.administration, submitted_on=dt.date(2026, 1, 1))
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=world.text, text=f"text {i}"),
                Answer(response=response, question=world.scale, number=1 + i % 5),
                Answer(response=response, question=world.single, choices=["police"]),
                Answer(response=response, question=world.multiple, choices=["ngo", "labour"]),
                Answer(response=response, question=world.yes_no, yes=bool(i % 2)),
            ]
        )


def test_aggregation_counts_each_kind_by_choice_key() -> None:
    world = answer_world(members=5)
    _answer_all(world)
    # Answers hold choice keys (the same in every language); bars carry the questionnaire's labels.
    outcome = selectors.administration_results(administration=world.administration)
    assert outcome.shown
    assert outcome.respondents == 5
    assert outcome.members == 5
    by_id = {r.question.id: r for r in outcome.questions}
    assert world.section.pk not in by_id
    scale = by_id[world.scale.pk]
    assert [b.count for b in scale.bars] == [0, 0, 0, 5, 0]
    assert scale.mean == 4.0
    single = by_id[world.single.pk]
    assert [(b.label, b.count, b.percent) for b in single.bars] == [
        ("Police", 5, 100),
        ("NGO", 0, 0),
        ("Labour inspectorate", 0, 0),
    ]
    assert [b.count for b in by_id[world.multiple.pk].bars] == [0, 5, 5]
    assert [(b.label, b.count) for b in by_id[world.yes_no.pk].bars] == [("Yes", 5), ("No", 0)]
    assert by_id[world.text.pk].texts == ["We shared the victim's file too late."] * 5


def test_anonymous_below_threshold_shows_only_counts() -> None:
    world = answer_world(members=6)
    _answer_all(world, count=4)
    outcome = selectors.administration_results(administration=world.administration)
    assert not outcome.shown
    assert outcome.questions == []
    assert outcome.respondents == 4


def test_named_questionnaire_shows_below_threshold() -> None:
    world = answer_world(anonymous=False, members=2)
    _answer_all(world)
    assert selectors.administration_results(administration=world.administration).shown


def test_teams_shown_only_from_the_threshold() -> None:
    questions = [results.QuestionRow(id=1, kind="yes_no", text="Clear?", objective="")]
    answers = [results.AnswerRow(response=str(i), team=1 if i < 5 else 2, question=1, yes=True) for i in range(8)]
    outcome = results.aggregate(
        questions=questions,
        answers=answers,
        respondents=8,
        members=8,
        min_respondents=5,
        anonymous=True,
        team_names={1: "Police", 2: "NGO"},
        team_respondents={1: 5, 2: 3},
        yes="Yes",
        no="No",
    )
    assert [t.name for t in outcome.teams] == ["Police"]
    assert outcome.hidden_teams == 1


def test_text_groups_by_objective() -> None:
    rows = [
        results.QuestionRow(id=1, kind="text", text="A?", objective="O2"),
        results.QuestionRow(id=2, kind="text", text="B?", objective=""),
        results.QuestionRow(id=3, kind="text", text="C?", objective="O1"),
    ]
    answers = [results.AnswerRow(response="r", team=None, question=q, text="t") for q in (1, 2, 3)]
    outcome = results.aggregate(
        questions=rows,
        answers=answers,
        respondents=1,
        members=1,
        min_respondents=5,
        anonymous=False,
        team_names={},
        team_respondents={},
        yes="Y",
        no="N",
    )
    assert [g.objective for g in outcome.text_groups] == ["O1", "O2", ""]


def test_prepost_change_per_objective() -> None:
    world = answer_world(members=5, stage=Administration.Stage.POST)
    objective = LearningObjectiveFactory()
    Question.objects.filter(pk=world.scale.pk).update(objective=objective)
    pre = AdministrationFactory(
        questionnaire=world.questionnaire, cohort=world.administration.cohort, stage=Administration.Stage.PRE
    )
    for member in world.members:
        services.response_submit(
            administration=pre, participant=member, answers={**world.full_answers(), str(world.scale.pk): 2}
        )
    _answer_all(world)
    outcome = selectors.administration_results(administration=world.administration)
    assert [(c.objective, c.before, c.after, c.change) for c in outcome.prepost] == [(str(objective), 2.0, 4.0, 2.0)]


def test_prepost_hidden_when_pre_below_threshold() -> None:
    world = answer_world(members=5, stage=Administration.Stage.POST)
    Question.objects.filter(pk=world.scale.pk).update(objective=LearningObjectiveFactory())
    pre = AdministrationFactory(
        questionnaire=world.questionnaire, cohort=world.administration.cohort, stage=Administration.Stage.PRE
    )
    services.response_submit(administration=pre, participant=world.members[0], answers=world.full_answers())
    _answer_all(world)
    assert selectors.administration_results(administration=world.administration).prepost == []


def test_results_page_for_staff(client) -> None:
    world = answer_world(members=5)
    _answer_all(world)
    client.force_login(world.facilitator)
    page = client.get(reverse("reflections:administration_results", kwargs={"pk": world.administration.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert 'width="100"' in body
    assert "style=" not in body
    assert "We shared the victim&#x27;s file too late." in body


def test_results_page_below_threshold(client) -> None:
    world = answer_world(members=6)
    _answer_all(world, count=2)
    client.force_login(world.facilitator)
    page = client.get(reverse("reflections:administration_results", kwargs={"pk": world.administration.pk}))
    body = page.content.decode()
    assert "2 of 6 answered; results appear from 5." in body
    assert "victim" not in body
    assert "<svg" not in body


def test_results_page_refuses_participants(client) -> None:
    world = answer_world(members=5)
    client.force_login(world.member.user)
    url = reverse("reflections:administration_results", kwargs={"pk": world.administration.pk})
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("size", [10, 300])
def test_results_page_query_count_is_constant(client, django_assert_max_num_queries, size: int) -> None:
    world = answer_world(members=3)
    _bulk_responses(world, size)
    client.force_login(world.facilitator)
    url = reverse("reflections:administration_results", kwargs={"pk": world.administration.pk})
    with django_assert_max_num_queries(16):
        page = client.get(url)
    assert page.status_code == 200
    assert f"{size} of 3" in page.content.decode()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv_one_row_per_response_without_people(client) -> None:
    world = answer_world(members=5)
    _answer_all(world)
    client.force_login(world.facilitator)
    url = reverse("reflections:administration_results_export", kwargs={"pk": world.administration.pk})
    response = client.get(url, {"format": "csv", "delimiter": "comma"})
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][:3] == ["Day", "Source", "Team"]
    assert rows[0][3:] == [q.text for q in (world.text, world.scale, world.single, world.multiple, world.yes_no)]
    assert len(rows) == 6
    assert rows[1][3:] == ["We shared the victim's file too late.", "4", "Police", "NGO | Labour inspectorate", "Yes"]
    body = response.content.decode()
    for member in world.members:
        assert member.user.email not in body
        assert member.user.last_name not in body


def test_export_xlsx(client) -> None:
    world = answer_world(members=5)
    _answer_all(world)
    client.force_login(world.facilitator)
    url = reverse("reflections:administration_results_export", kwargs={"pk": world.administration.pk})
    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 6


def test_export_refused_below_threshold(client) -> None:
    world = answer_world(members=6)
    _answer_all(world, count=3)
    client.force_login(world.facilitator)
    url = reverse("reflections:administration_results_export", kwargs={"pk": world.administration.pk})
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 400
    assert "exported from 5" in response.content.decode()


def test_named_export_carries_the_name(client) -> None:
    world = answer_world(anonymous=False, members=2)
    _answer_all(world)
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    url = reverse("reflections:administration_results_export", kwargs={"pk": world.administration.pk})
    rows = _csv(client.get(url, {"format": "csv", "delimiter": "comma"}))
    assert rows[0][0] == "Respondent"
    names = {row[0] for row in rows[1:]}
    assert names == {m.user.get_full_name() for m in world.members}


def test_api_results_and_export(client) -> None:
    world = answer_world(members=5)
    _answer_all(world)
    client.force_login(world.facilitator)
    base = f"/api/v1/questionnaire-administrations/{world.administration.pk}"
    data = client.get(f"{base}/results/").json()
    assert data["shown"]
    assert data["respondents"] == 5
    scale = next(q for q in data["questions"] if q["question"] == world.scale.pk)
    assert scale["mean"] == 4.0
    export = client.get(f"{base}/export/", {"format": "csv"})
    assert export.status_code == 200
    assert len(_csv(export)) == 6
    assert client.get(f"{base}/export/", {"format": "xlsx"}).status_code == 200


def test_api_below_threshold(client) -> None:
    world = answer_world(members=6)
    _answer_all(world, count=2)
    client.force_login(world.facilitator)
    base = f"/api/v1/questionnaire-administrations/{world.administration.pk}"
    data = client.get(f"{base}/results/").json()
    assert data["shown"] is False
    assert data["questions"] == []
    assert client.get(f"{base}/export/", {"format": "csv"}).status_code == 400


def test_api_results_refused_to_members(client) -> None:
    world = answer_world(members=5)
    client.force_login(world.member.user)
    base = f"/api/v1/questionnaire-administrations/{world.administration.pk}"
    assert client.get(f"{base}/results/").status_code == 403


def test_results_with_a_new_member_count() -> None:
    world = answer_world(members=5)
    EnrolmentFactory(cohort=world.administration.cohort)
    assert selectors.administration_results(administration=world.administration).members == 6


def test_cohort_page_shows_the_prepost_change(client) -> None:
    world = answer_world(members=5, stage=Administration.Stage.POST)
    objective = LearningObjectiveFactory(title="Referring victims")
    Question.objects.filter(pk=world.scale.pk).update(objective=objective)
    pre = AdministrationFactory(
        questionnaire=world.questionnaire, cohort=world.administration.cohort, stage=Administration.Stage.PRE
    )
    for member in world.members:
        services.response_submit(
            administration=pre, participant=member, answers={**world.full_answers(), str(world.scale.pk): 3}
        )
    _answer_all(world)
    client.force_login(world.facilitator)
    page = client.get(reverse("reflections:cohort_reflections", kwargs={"slug": world.administration.cohort.slug}))
    body = page.content.decode()
    assert "Before and after the course: After the simulation" in body
    assert "Referring victims" in body
    assert "+1.0" in body
