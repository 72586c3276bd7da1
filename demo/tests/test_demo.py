import re
from datetime import time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from demo import content, content_pl, loader
from demo.loader import VARIANTS, demo_load, demo_password
from exercises.models import (
    CourseExercise,
    Exercise,
    ExerciseRun,
    Handout,
    Inject,
    Phase,
    RunTeam,
    TeamMembership,
    TeamRole,
)
from participants.models import Enrolment, EnrolmentStatusChange, Participant
from reflections.models import Administration, Question, Questionnaire, Reminder
from trainings.models import Agency, AgencyKind, Cohort, Course, DeliveryMode, LearningObjective, Session

pytestmark = pytest.mark.django_db

DEMO_MODELS: list[type[models.Model]] = [
    LearningObjective,
    Agency,
    Exercise,
    Exercise.learning_objectives.through,
    Handout,
    Phase,
    TeamRole,
    Inject,
    Inject.target_roles.through,
    Inject.learning_objectives.through,
    Questionnaire,
    Question,
    Administration,
    Reminder,
    Course,
    Course.learning_objectives.through,
    CourseExercise,
    Group,
    User,
    User.groups.through,
    Participant,
    Cohort,
    Cohort.coordinators.through,
    Cohort.facilitators.through,
    Session,
    Enrolment,
    EnrolmentStatusChange,
    ExerciseRun,
    RunTeam,
    TeamMembership,
]


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in DEMO_MODELS}


@pytest.fixture
def demo() -> str:
    return _load("--force")


def test_second_run_later_changes_nothing(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _snapshot()
    assert all(first[model._meta.label] for model in DEMO_MODELS)
    later = timezone.now() + timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)

    output = _load("--force")

    # Same rows, same values, same updated_at: the second run wrote nothing, and the dates stayed put.
    assert _snapshot() == first
    assert "Nothing changed" in output
    assert "learning objectives: 6 (0 created, 0 updated)" in output


def test_rerun_restores_seed_content_but_keeps_the_schedule_and_teams(demo: str) -> None:
    exercise = Exercise.objects.get(slug=content.EXERCISE.slug)
    Exercise.objects.filter(pk=exercise.pk).update(planned_minutes=60, aim="Edited")
    session = Session.objects.get(title__startswith="Simulation")
    moved_start = session.starts_at + timedelta(hours=2)
    Session.objects.filter(pk=session.pk).update(starts_at=moved_start, ends_at=moved_start + timedelta(minutes=90))
    teams = list(RunTeam.objects.order_by("team_role__number"))
    membership = TeamMembership.objects.filter(team=teams[0]).first()
    TeamMembership.objects.filter(pk=membership.pk).update(team=teams[1])

    output = _load("--force")

    exercise.refresh_from_db()
    assert (exercise.planned_minutes, exercise.aim) == (90, content.EXERCISE.aim)
    # The seed's exercise and its language variants.
    assert f"exercises: {1 + len(VARIANTS)} (0 created, 1 updated)" in output
    session.refresh_from_db()
    assert session.starts_at == moved_start
    membership.refresh_from_db()
    assert membership.team == teams[1]


def test_refuses_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        _load()

    assert not Exercise.objects.exists()
    assert not User.objects.exists()


def test_runs_without_force_when_debug_is_on(settings: Any) -> None:
    settings.DEBUG = True

    output = _load()

    assert "Password of every demo account" in output
    assert Exercise.objects.filter(slug=content.EXERCISE.slug).exists()


def test_whole_load_is_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "load_run", broken)

    with pytest.raises(RuntimeError):
        demo_load()

    assert not LearningObjective.objects.exists()
    assert not User.objects.exists()
    assert not Cohort.objects.exists()


class _ClosedPipe:
    def write(self, msg: str, /) -> None:
        raise BrokenPipeError


def test_a_closed_output_does_not_undo_the_load() -> None:
    """``load_demo | head`` closes the pipe while the summary is printed: the data stays loaded."""
    with pytest.raises(BrokenPipeError):
        demo_load(stdout=_ClosedPipe())

    assert Cohort.objects.filter(slug=content.COHORT.slug).exists()
    assert TeamMembership.objects.count() == 15


def test_learning_objectives_match_section_6_2(demo: str) -> None:
    objectives = list(LearningObjective.objects.order_by("order"))

    assert [o.order for o in objectives] == [1, 2, 3, 4, 5, 6]
    assert [o.category for o in objectives] == [
        "Cooperation",
        "Law and policy",
        "Victim identification",
        "Investigations",
        "Victim support",
        "Root causes",
    ]
    assert objectives[0].code == "coop-international"
    assert "Europol" in objectives[0].description
    assert "poverty" in objectives[5].description
    assert all(o.is_active and o.title and o.description for o in objectives)


def test_agencies_cover_the_services_and_countries(demo: str) -> None:
    kinds = set(Agency.objects.values_list("kind", flat=True))
    countries = set(Agency.objects.values_list("country", flat=True))

    assert {
        AgencyKind.POLICE,
        AgencyKind.BORDER_GUARD,
        AgencyKind.PROSECUTION,
        AgencyKind.LABOUR_INSPECTION,
        AgencyKind.IMMIGRATION,
        AgencyKind.SOCIAL_SERVICES,
        AgencyKind.NGO,
        AgencyKind.GOVERNMENT,
        AgencyKind.LOCAL_AUTHORITY,
        AgencyKind.INTERNATIONAL,
    } <= kinds
    assert {"PL", "DE", "RO", "BG"} <= countries
    assert Agency.objects.get(name="State Labour Inspectorate (PIP)").kind == AgencyKind.LABOUR_INSPECTION
    international = set(Agency.objects.filter(kind=AgencyKind.INTERNATIONAL).values_list("name", flat=True))
    assert {"Europol", "INTERPOL", "United Nations Office on Drugs and Crime (UNODC)"} == international


def test_exercise_matches_table_11(demo: str) -> None:
    exercise = Exercise.objects.get(slug="recognising-victims-interviewing-suspects")

    assert exercise.name == "Recognising victims of trafficking – Interviewing suspects"
    assert exercise.kind == Exercise.Kind.SIMULATION
    assert exercise.planned_minutes == 90
    assert "national level" in exercise.aim
    assert exercise.materials.count("\n- ") == 2  # the three items of "Materials Needed"
    assert "Zoom" in exercise.online_variation
    assert exercise.debriefing_guidance.count("- ") == 3
    assert "Introducing variables" in exercise.tips
    assert set(exercise.learning_objectives.values_list("code", flat=True)) == {
        "coop-international",
        "victim-identification",
        "international-investigations",
        "victim-support",
    }
    assert list(exercise.handouts.values_list("title", "file")) == [
        ("Procedures for inter-agency cooperation when trafficking is detected", ""),
        ("Key institutions and agencies in Poland fighting against trafficking in human beings", ""),
    ]


def test_phases_keep_the_seeds_minutes(demo: str) -> None:
    phases = list(Phase.objects.filter(exercise__slug=content.EXERCISE.slug).order_by("order"))

    assert [(p.name, p.kind, p.planned_minutes) for p in phases] == [
        ("Preparation", Phase.Kind.PREPARATION, 15),
        ("Preliminary phase", Phase.Kind.PLAY, 15),
        ("Crisis phase", Phase.Kind.CRISIS, 30),
        ("Debriefing", Phase.Kind.DEBRIEFING, 15),
    ]
    # The seed's own mismatch, kept on purpose for the plan warning: 75 of 90 minutes are planned.
    assert sum(p.planned_minutes for p in phases) == 75
    assert "Teams 1 and 2" in phases[1].instructions


def test_team_roles_match_the_five_teams(demo: str) -> None:
    roles = list(TeamRole.objects.filter(exercise__slug=content.EXERCISE.slug).order_by("number"))

    assert [(r.number, r.name, r.agency_kind) for r in roles] == [
        (1, "Police / Law enforcement", AgencyKind.POLICE),
        (2, "Border guards / Immigration services", AgencyKind.BORDER_GUARD),
        (3, "Social services / Victim protection", AgencyKind.SOCIAL_SERVICES),
        (4, "Non-governmental organisations (NGOs)", AgencyKind.NGO),
        (
            5,
            "Government administration / Ministries responsible for migration and anti-trafficking policy",
            AgencyKind.GOVERNMENT,
        ),
    ]
    assert all(r.briefing and r.tasks for r in roles)
    assert "verify the information" in roles[0].tasks
    assert "safe shelter" in roles[2].tasks


def test_injects_are_the_three_variables_of_the_crisis_phase(demo: str) -> None:
    injects = list(
        Inject.objects.filter(exercise__slug=content.EXERCISE.slug)
        .select_related("phase", "depends_on")
        .prefetch_related("target_roles", "learning_objectives")
        .order_by("number")
    )

    assert [(i.number, i.kind) for i in injects] == [
        (1, Inject.Kind.NEW_INFORMATION),
        (2, Inject.Kind.LOGISTICAL),
        (3, Inject.Kind.CONFUSION),
    ]
    assert {i.phase.name for i in injects} == {"Crisis phase"}
    assert all(0 <= i.minute_offset < i.phase.planned_minutes for i in injects)
    assert [i.minute_offset for i in injects] == sorted(i.minute_offset for i in injects)
    assert [sorted(r.number for r in i.target_roles.all()) for i in injects] == [[1, 2, 5], [3, 4], [1, 2, 3, 4, 5]]
    assert "neighbouring region" in injects[0].body
    assert "transport" in injects[1].body
    assert "escape" in injects[2].body
    assert injects[2].depends_on == injects[1]
    assert all(i.expected_actions and i.learning_objectives.all() for i in injects)


def test_reflection_questionnaire_holds_the_questions_of_6_6(demo: str) -> None:
    questionnaire = Questionnaire.objects.get(exercise__slug=content.EXERCISE.slug)
    questions = list(questionnaire.questions.order_by("order"))

    assert questionnaire.is_anonymous
    assert [q.text for q in questions[:3]] == [
        "Which questions were most effective in obtaining information?",
        "What techniques helped to build trust and obtain comprehensive answers?",
        "What difficulties did the officer encounter in identifying the victim?",
    ]
    assert {q.kind for q in questions[:3]} == {Question.Kind.TEXT}
    scale = [q for q in questions if q.kind == Question.Kind.SCALE]
    assert len(scale) == 1
    assert "ready" in scale[0].text
    for question in questions:
        question.full_clean()  # choice questions carry their choices


def test_course_links_objectives_and_exercise(demo: str) -> None:
    course = Course.objects.get(slug="inter-agency-cooperation")

    assert course.learning_objectives.count() == 6
    assert list(CourseExercise.objects.filter(course=course).values_list("exercise__slug", flat=True)) == [
        content.EXERCISE.slug
    ]


def test_cohort_people_and_enrolments(demo: str) -> None:
    cohort = Cohort.objects.get(slug="demo-cohort-warsaw")

    assert cohort.time_zone == "Europe/Warsaw"
    assert cohort.delivery_mode == DeliveryMode.IN_PERSON
    assert cohort.venue
    assert cohort.capacity == 20
    assert cohort.start_date >= timezone.localdate(timezone=cohort.tz) + timedelta(days=14)
    assert cohort.start_date.weekday() == 1
    assert list(cohort.coordinators.values_list("email", flat=True)) == ["coordinator@example.org"]
    assert sorted(cohort.facilitators.values_list("email", flat=True)) == [
        "facilitator1@example.org",
        "facilitator2@example.org",
    ]
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.groups.filter(name=Role.COORDINATOR).exists()
    assert User.objects.filter(groups__name=Role.FACILITATOR).count() == 2

    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("participant__user", "participant__agency")
    assert enrolments.count() == 15
    assert {e.status for e in enrolments} == {Enrolment.Status.ENROLLED}
    assert sorted(e.participant.user.email for e in enrolments) == [
        f"participant{n:02d}@example.org" for n in range(1, 16)
    ]
    assert all(e.participant.user.groups.filter(name=Role.PARTICIPANT).exists() for e in enrolments)
    assert all(e.participant.agency and e.participant.position for e in enrolments)
    assert {e.participant.country for e in enrolments} == {"PL", "DE", "RO", "BG"}
    assert {e.participant.user.language for e in enrolments} >= {"pl", "de", "ro", "bg"}
    assert EnrolmentStatusChange.objects.filter(enrolment__cohort=cohort, to_status="enrolled").count() == 15


def test_names_carry_their_languages_letters(demo: str) -> None:
    names = " ".join(u.get_full_name() for u in User.objects.all())

    for letter in "łśżäöüßșțȘȚ":  # Polish, German, Romanian
        assert letter in names, letter
    assert re.search("[\u0400-\u04ff]", names)  # Bulgarian in Cyrillic
    assert "\u015f" not in names
    assert "\u0163" not in names  # Romanian uses the comma below, never the cedilla


def test_sessions_and_scheduled_run(demo: str) -> None:
    cohort = Cohort.objects.get(slug="demo-cohort-warsaw")
    sessions = list(cohort.sessions.order_by("starts_at"))
    run = ExerciseRun.objects.select_related("session", "lead_facilitator").get(cohort=cohort)

    assert len(sessions) == 5
    assert {s.starts_at.astimezone(cohort.tz).date() for s in sessions} == {
        cohort.start_date,
        cohort.end_date,
    }
    assert sessions[0].starts_at.astimezone(cohort.tz).time() == time(9, 0)
    assert all(s.starts_at.tzinfo is not None for s in sessions)
    assert run.exercise.slug == content.EXERCISE.slug
    assert run.status == ExerciseRun.Status.PLANNED
    assert run.lead_facilitator.email == "facilitator1@example.org"
    assert run.session.duration_minutes == 90
    assert run.session.starts_at.astimezone(cohort.tz).date() == cohort.end_date


def test_five_teams_of_three_mostly_playing_their_own_agency(demo: str) -> None:
    run = ExerciseRun.objects.get(cohort__slug="demo-cohort-warsaw")
    teams = list(run.teams.select_related("team_role").order_by("team_role__number"))

    assert [t.team_role.number for t in teams] == [1, 2, 3, 4, 5]
    for team in teams:
        kinds = list(team.memberships.values_list("enrolment__participant__agency__kind", flat=True))
        assert len(kinds) == 3
        assert kinds.count(team.team_role.agency_kind) >= 2
    assert TeamMembership.objects.filter(run=run).count() == 15
    for membership in TeamMembership.objects.filter(run=run):
        membership.full_clean()


def test_demo_users_log_in_with_the_printed_password(demo: str, client: Client) -> None:
    match = re.search(r"Password of every demo account: (\S+)", demo)
    assert match
    password = match.group(1)
    assert password == demo_password()
    assert "coordinator@example.org" in demo
    assert "participant15@example.org" in demo

    for email in ("coordinator@example.org", "facilitator1@example.org", "participant01@example.org"):
        assert client.login(email=email, password=password), email
        client.logout()
    assert not client.login(email="participant01@example.org", password="wrong-password")


def test_a_demo_participant_sees_the_demo_cohort_and_its_run(demo: str, client: Client) -> None:
    """The demo's people are members of its cohort as far as every app can tell (trainings.CohortMember)."""
    cohort = Cohort.objects.get()
    client.force_login(User.objects.get(email="participant01@example.org"))
    assert client.get(cohort.get_absolute_url()).status_code == 200
    assert client.get(ExerciseRun.objects.get().get_absolute_url()).status_code == 200


def test_password_follows_the_secret_key_and_is_restored(demo: str, settings: Any) -> None:
    user = User.objects.get(email="participant02@example.org")
    user.set_password("changed-by-someone")
    user.save()

    _load("--force")

    user.refresh_from_db()
    assert user.check_password(demo_password())
    first = demo_password()
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789"
    assert demo_password() != first
    assert len(first) == 16


def test_the_seed_questionnaire_is_a_template_given_to_the_demo_run(demo: str) -> None:
    questionnaire = Questionnaire.objects.get(exercise__slug=content.EXERCISE.slug)
    administration = Administration.objects.select_related("run__session").get()

    assert questionnaire.is_template
    assert (administration.questionnaire, administration.cohort) == (questionnaire, administration.run.cohort)
    assert administration.opens_at == administration.run.session.starts_at
    assert set(administration.reminders.values_list("kind", flat=True)) == {
        Reminder.Kind.AFTER_RUN,
        Reminder.Kind.BEFORE_CLOSE,
    }


def test_the_exercise_ships_in_every_language_of_the_platform(demo: str) -> None:
    from exercises.selectors import team_briefing

    exercise = Exercise.objects.get(slug=content.EXERCISE.slug)
    assert {language for _variant, language in VARIANTS} == {code for code, _name in settings.LANGUAGES} - {"en"}
    police = exercise.team_roles.get(number=1)
    assert team_briefing(team_role=police, exercise=exercise, language="en").briefing == police.briefing
    for data, language in VARIANTS:
        variant = Exercise.objects.get(slug=data.slug)
        assert (exercise.language, variant.language, variant.variant_of) == ("en", language, exercise)
        assert variant.aim == data.aim
        assert variant.aim != exercise.aim
        assert [(r.number, r.agency_kind) for r in variant.team_roles.all()] == [
            (r.number, r.agency_kind) for r in exercise.team_roles.all()
        ]
        assert [(i.number, i.phase.order, i.minute_offset) for i in variant.injects.all()] == [
            (i.number, i.phase.order, i.minute_offset) for i in exercise.injects.all()
        ]
        briefing = team_briefing(team_role=police, exercise=exercise, language=language)
        assert briefing.language == language
        assert briefing.briefing == variant.team_roles.get(number=1).briefing != police.briefing
    polish = Exercise.objects.get(slug=content_pl.EXERCISE_PL.slug)
    assert polish.phases.get(order=3).name == "Faza kryzysowa"


def test_the_questionnaire_speaks_every_language(demo: str) -> None:
    questionnaire = Questionnaire.objects.get(title=content.QUESTIONNAIRE.title)
    for question in questionnaire.questions.all():
        assert set(question.translations) == {"pl", "de", "ro", "bg"}, question.order
        assert all(entry["text"] and entry["text"] != question.text for entry in question.translations.values())
        for choice in question.choices.all():
            assert set(choice.translations) == {"pl", "de", "ro", "bg"}, choice.key
    scale = questionnaire.questions.get(kind=Question.Kind.SCALE)
    assert scale.translations["de"]["low_label"] == "Überhaupt nicht bereit"
