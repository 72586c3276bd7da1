"""The re-identification attempt (#9 "Anonymity that holds").

A run's teams come from one agency each: three police officers and six NGO workers. One police officer
answers an anonymous questionnaire first, with a distinctive text and the only "Labour inspectorate"
choice, at a known minute. Then, as every role (the coordinator, the cohort's facilitator, another
facilitator, the respondent, a teammate, someone of the other team, someone of another cohort, and a
superuser in the admin), every GET page, export (CSV, XLSX) and API endpoint of reflections is read, and
nothing that carries the text (or the choice) may carry the person's name, e-mail, user or participant
id, their team (three respondents: below the threshold of five), or a time finer than the day. Lists
and exports are in random-key order, not the order of submission.
"""

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, UserFactory
from exercises.tests.factories import ExerciseRunFactory, RunTeamFactory, TeamMembershipFactory
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from reflections import services
from reflections.models import Question, Response
from reflections.tests.factories import AdministrationFactory, ChoiceFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

pytestmark = pytest.mark.django_db

SECRET = "Zebra marmalade: the prosecutor never called back"
RARE_CHOICE = "Labour inspectorate"
# Keys that would name a person or a moment next to an answer (ids of a user or participant included).
IDENTITY_KEYS = {
    "user",
    "user_id",
    "participant",
    "participant_id",
    "respondent",
    "email",
    "completed_at",
    "submitted_at",
}
API_BASENAMES = ("questionnaire", "questionnaireadministration", "myreflection")


def _world() -> dict[str, Any]:
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    run = ExerciseRunFactory(cohort=cohort)
    police_team = RunTeamFactory(run=run, name="Border Police Unit Seven")
    ngo_team = RunTeamFactory(run=run, name="Shelter NGO Team")
    police, ngo = AgencyFactory(name="Border Police"), AgencyFactory(name="Shelter NGO")
    teams: dict[str, list[Any]] = {"police": [], "ngo": []}
    for key, team, agency, size in (("police", police_team, police, 3), ("ngo", ngo_team, ngo, 6)):
        for _ in range(size):
            enrolment = EnrolmentFactory(cohort=cohort, participant=ParticipantFactory(agency=agency))
            TeamMembershipFactory(team=team, run=run, enrolment=enrolment)
            teams[key].append(enrolment.participant)
    questionnaire = QuestionnaireFactory(title="After the raid", is_anonymous=True, created_by=facilitator)
    text = QuestionFactory(questionnaire=questionnaire, order=1, text="What would you change?")
    single = QuestionFactory(questionnaire=questionnaire, order=2, kind=Question.Kind.SINGLE, text="Who led?")
    for order, (key, label) in enumerate([("police", "Police"), ("labour", RARE_CHOICE)], 1):
        ChoiceFactory(question=single, order=order, key=key, label=label)
    opens = timezone.now() - dt.timedelta(hours=3)
    administration = AdministrationFactory(
        questionnaire=questionnaire, cohort=cohort, run=run, opens_at=opens, min_respondents=5
    )
    target = teams["police"][0]
    # Submitted in a known order: the target first, at a distinctive minute.
    order = [target, *teams["police"][1:], *teams["ngo"]]
    times = [opens + dt.timedelta(minutes=17 + 7 * i, seconds=23) for i in range(len(order))]
    for i, (person, when) in enumerate(zip(order, times, strict=True)):
        answers = (
            {str(text.pk): SECRET, str(single.pk): "labour"}
            if person == target
            else {str(text.pk): f"Ordinary remark number {i:02d}", str(single.pk): "police"}
        )
        services.response_submit(administration=administration, participant=person, answers=answers, now=when)
    other_cohort = CohortFactory(facilitators=[FacilitatorFactory()])
    stranger = EnrolmentFactory(cohort=other_cohort).participant
    return {
        "cohort": cohort,
        "run": run,
        "administration": administration,
        "questionnaire": questionnaire,
        "question": text,
        "target": target,
        "target_time": times[0],
        "police_team": police_team,
        "submitted": [SECRET if p == target else f"Ordinary remark number {i:02d}" for i, p in enumerate(order)],
        "users": {
            "coordinator": CoordinatorFactory(),
            "facilitator": facilitator,
            "facilitator_other": other_cohort.facilitators.first(),
            "respondent": target.user,
            "teammate": teams["police"][1].user,
            "other_team": teams["ngo"][0].user,
            "participant_other": stranger.user,
            "superuser": UserFactory(is_staff=True, is_superuser=True),
        },
    }


def _names(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif entry.name:
            found.append((f"{prefix}{entry.name}", entry))
    return found


def _urls(world: dict[str, Any]) -> list[str]:
    """Every GET-able URL of reflections (pages and API), with formats for the exports."""
    urls: set[str] = set()
    administration, questionnaire = world["administration"], world["questionnaire"]
    for name, pattern in _names(get_resolver()):
        params = set(pattern.pattern.regex.groupindex)
        if name.startswith("reflections:"):
            route = str(pattern.pattern)
            if "slug" in params:
                kwargs: dict[str, Any] = {"slug": world["cohort"].slug}
            elif route.startswith("runs/"):
                kwargs = {"pk": world["run"].pk}
            elif "question_pk" in params:
                kwargs = {"pk": questionnaire.pk, "question_pk": world["question"].pk}
            elif "administrations/" in route or "answer/" in route:
                kwargs = {"pk": administration.pk}
            elif "pk" in params:
                kwargs = {"pk": questionnaire.pk}
            else:
                kwargs = {}
        elif name.startswith("api:") and name.split(":")[1].rsplit("-", 1)[0] in API_BASENAMES:
            if "format" in params:
                continue
            target = questionnaire if name.startswith("api:questionnaire-") else administration
            kwargs = {"pk": target.pk} if "pk" in params else {}
        else:
            continue
        url = reverse(name, kwargs=kwargs)
        urls.add(url)
        if "export" in name:
            urls.update({f"{url}?format=csv", f"{url}?format=xlsx"})
    urls.update(
        f"/admin/reflections/{model}/" for model in ("response", "completion", "answer", "administration", "draft")
    )
    urls.update(f"/admin/reflections/response/{r.pk}/change/" for r in Response.objects.all())
    return sorted(urls)


def _text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type and body.startswith(b"PK"):  # a refusal is JSON under that type
        sheet = load_workbook(io.BytesIO(body)).active
        return "\n".join(
            ",".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8", errors="replace")


def _objects_with(data: Any, needle: str) -> list[Any]:
    """The innermost JSON objects (dicts) whose values hold ``needle``."""
    found = []
    if isinstance(data, dict):
        inner = [o for v in data.values() for o in _objects_with(v, needle)]
        if inner:
            return inner
        if any(needle in str(v) for v in data.values()):
            found.append(data)
    elif isinstance(data, list):
        for item in data:
            found += _objects_with(item, needle)
    return found


def test_nobody_can_pair_the_answer_with_the_person() -> None:
    world = _world()
    user = world["target"].user
    local = timezone.localtime(world["target_time"], world["cohort"].tz)
    identifiers = [
        user.email,
        user.get_full_name(),
        user.last_name,
        world["police_team"].name,
        local.strftime("%H:%M"),
        world["target_time"].strftime("%H:%M"),
        world["target_time"].isoformat()[:16],
    ]
    urls = _urls(world)
    assert len(urls) > 40
    seen_secret = 0
    for role, person in world["users"].items():
        client = Client()
        client.force_login(person)
        for url in urls:
            if (role == "superuser") != url.startswith("/admin/"):
                continue  # the superuser reads the admin; the others its pages and API
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            text = _text(response)
            for needle in (SECRET, RARE_CHOICE):
                if needle not in text:
                    continue
                if needle == SECRET:
                    seen_secret += 1
                for identifier in identifiers:
                    assert identifier not in text, (role, url, needle, identifier)
                if text.lstrip().startswith(("{", "[")):
                    for obj in _objects_with(json.loads(text), needle):
                        values = {str(v) for v in obj.values()}
                        assert not values & {user.email, user.get_full_name()}, (role, url, obj)
                        assert not IDENTITY_KEYS & set(obj), (role, url, obj)
                # A day may be shown, never a time of day next to an answer.
                if needle == SECRET and (
                    "csv" in response.get("Content-Type", "") or "spreadsheet" in response.get("Content-Type", "")
                ):
                    assert not re.search(r"\d{1,2}:\d{2}", text), (role, url)
    # The staff's results page and exports did show the answer: the walk read them.
    assert seen_secret >= 4


def _order_by_key(world: dict[str, Any]) -> list[str]:
    return [
        r.answers.get(question=world["question"]).text
        for r in Response.objects.filter(administration=world["administration"]).order_by("id")
    ]


def test_lists_and_exports_do_not_follow_the_submission_order() -> None:
    world = _world()
    client = Client()
    client.force_login(world["users"]["facilitator"])
    url = reverse("reflections:administration_results_export", kwargs={"pk": world["administration"].pk})
    rows = list(
        csv.reader(io.StringIO(client.get(url, {"format": "csv", "delimiter": "comma"}).content.decode("utf-8-sig")))
    )
    exported = [row[3] for row in rows[1:]]
    # By the random key, whatever the order of submission.
    assert exported == _order_by_key(world)
    assert sorted(exported) == sorted(world["submitted"])
    # The results page lists free texts alphabetically: submission order leaves no trace.
    page = client.get(reverse("reflections:administration_results", kwargs={"pk": world["administration"].pk}))
    body = page.content.decode()
    positions = [body.index(t.replace("'", "&#x27;")) for t in sorted(world["submitted"], key=str.casefold)]
    assert positions == sorted(positions)
    # The API's results too.
    api = client.get(f"/api/v1/questionnaire-administrations/{world['administration'].pk}/results/").json()
    texts = next(q["texts"] for q in api["questions"] if q["question"] == world["question"].pk)
    assert texts == sorted(world["submitted"], key=str.casefold)
