"""Load chapter 6 of the manual as demo data: content, a cohort, its people and a scheduled run.

Every write goes through `_Loader.upsert`, which looks a row up by its natural key and saves only
the fields that differ, so a second run writes nothing at all (not even `updated_at`). Curriculum
content is brought back to the seed on each run; the cohort's dates, schedule, enrolments and
teams are only set when first created, so that `make run` never undoes a coordinator's changes.
"""

import base64
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_get_or_create, user_grant_role, user_names_update
from demo import content
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
from participants.services import enrolment_member_sync
from reflections.models import Question, Questionnaire
from trainings.models import Agency, Cohort, Course, DeliveryMode, LearningObjective, Session

M = TypeVar("M", bound=models.Model)

_PASSWORD_LABEL = b"concord-demo-password"
_SALT_LABEL = b"concord-demo-password-salt"


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def demo_password() -> str:
    """The one password of every demo account, derived from SECRET_KEY so that reruns agree."""
    return _derive(_PASSWORD_LABEL)[:16].lower()


def _derive(label: bytes) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=")


def _demo_password_hash(password: str) -> str:
    # A fixed salt makes the encoded hash reproducible: comparing strings tells whether an account
    # already has the demo password, without hashing once per account (slow with PBKDF2).
    return make_password(password, salt=_derive(_SALT_LABEL)[:26])


@dataclass
class DemoResult:
    password: str
    cohort_slug: str
    exercise_slug: str
    login_url: str = ""
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, role label)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    links_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.links_changed)

    def count(self, label: str) -> int:
        return self.created[label] + self.updated[label] + self.unchanged[label]

    def summary_lines(self) -> list[str]:
        labels = list(dict.fromkeys([*self.created, *self.updated, *self.unchanged]))
        lines = [_("Concord demo data: chapter 6, inter-agency cooperation")]
        for label in labels:
            lines.append(
                "  "
                + _("%(label)s: %(total)d (%(created)d created, %(updated)d updated)")
                % {
                    "label": label,
                    "total": self.count(label),
                    "created": self.created[label],
                    "updated": self.updated[label],
                }
            )
        if not self.changed:
            lines.append(_("Nothing changed: the demo data was already loaded."))
        lines.append("")
        lines.append(_("Demo accounts: log in at %(url)s with one of") % {"url": self.login_url})
        lines.extend(f"  {email}  ({role})" for email, role in self.logins)
        lines.append(_("Password of every demo account: %(password)s") % {"password": self.password})
        return lines


class _Loader:
    def __init__(self, result: DemoResult) -> None:
        self.result = result

    def upsert(
        self,
        model: type[M],
        *,
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        create_only: dict[str, Any] | None = None,
    ) -> M:
        """Find by natural key; create with values and create_only, else bring values up to date."""
        values = values or {}
        label = str(model._meta.verbose_name_plural)
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values, **(create_only or {}))
            obj.full_clean()
            obj.save()
            self.result.created[label] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if not changed:
            self.result.unchanged[label] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        update_fields = [model._meta.get_field(name).name for name in changed]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
        self.result.updated[label] += 1
        return obj

    def set_links(self, manager: Any, objects: list[Any]) -> None:
        """Set a many-to-many relation, touching the database only when it differs."""
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.result.links_changed += 1

    def add_links(self, manager: Any, objects: list[Any]) -> None:
        """Add to a many-to-many relation and keep whatever else is there (people added by hand)."""
        missing = [obj for obj in objects if not manager.filter(pk=obj.pk).exists()]
        if missing:
            manager.add(*missing)
            self.result.links_changed += 1


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field_ = obj._meta.get_field(name)
    if field_.many_to_one or field_.one_to_one:
        # Compare ids, so that checking a foreign key does not fetch the related row.
        return getattr(obj, field_.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


# ---------------------------------------------------------------------------------------------


@transaction.atomic
def demo_load(*, stdout: Writer | None = None) -> DemoResult:
    """Load (or bring up to date) the whole demo; safe to run any number of times."""
    result = DemoResult(
        password=demo_password(),
        cohort_slug=content.COHORT.slug,
        exercise_slug=content.EXERCISE.slug,
        login_url=settings.SITE_URL.rstrip("/") + reverse("account_login"),
    )
    loader = _Loader(result)

    objectives = _load_objectives(loader)
    agencies = _load_agencies(loader)
    exercise, roles = _load_exercise(loader, objectives)
    _load_questionnaire(loader, exercise)
    course = _load_course(loader, objectives, exercise)
    coordinator, facilitators, participants = _load_people(loader, agencies, result)
    cohort = _load_cohort(loader, course, coordinator, facilitators)
    sessions = _load_sessions(loader, cohort)
    enrolments = _load_enrolments(loader, cohort, participants, coordinator)
    _load_run(loader, exercise, cohort, sessions, facilitators[0], roles, enrolments)

    if stdout is not None:
        for line in result.summary_lines():
            stdout.write(line + "\n")
    return result


def _load_objectives(loader: _Loader) -> dict[str, LearningObjective]:
    return {
        data.code: loader.upsert(
            LearningObjective,
            lookup={"code": data.code},
            values={
                "title": data.title,
                "description": data.description,
                "category": data.category,
                "order": data.order,
                "is_active": True,
            },
        )
        for data in content.OBJECTIVES
    }


def _load_agencies(loader: _Loader) -> dict[str, Agency]:
    return {
        data.key: loader.upsert(
            Agency,
            lookup={"name": data.name, "country": data.country},
            values={"kind": data.kind, "description": data.description},
        )
        for data in content.AGENCIES
    }


def _load_exercise(loader: _Loader, objectives: dict[str, LearningObjective]) -> tuple[Exercise, dict[int, TeamRole]]:
    data = content.EXERCISE
    exercise = loader.upsert(
        Exercise,
        lookup={"slug": data.slug},
        values={
            "name": data.name,
            "kind": data.kind,
            "planned_minutes": data.planned_minutes,
            "aim": data.aim,
            "scenario": data.scenario,
            "materials": data.materials,
            "facilitator_guidelines": data.facilitator_guidelines,
            "tips": data.tips,
            "online_variation": data.online_variation,
            "debriefing_guidance": data.debriefing_guidance,
        },
    )
    loader.set_links(exercise.learning_objectives, [objectives[code] for code in data.objective_codes])

    for handout in data.handouts:
        loader.upsert(
            Handout,
            lookup={"exercise": exercise, "order": handout.order},
            values={"title": handout.title, "description": handout.description},
        )

    phases = {
        phase.order: loader.upsert(
            Phase,
            lookup={"exercise": exercise, "order": phase.order},
            values={
                "name": phase.name,
                "kind": phase.kind,
                "planned_minutes": phase.planned_minutes,
                "instructions": phase.instructions,
            },
        )
        for phase in data.phases
    }

    roles = {
        role.number: loader.upsert(
            TeamRole,
            lookup={"exercise": exercise, "number": role.number},
            values={
                "name": role.name,
                "agency_kind": role.agency_kind,
                "briefing": role.briefing,
                "tasks": role.tasks,
            },
        )
        for role in data.team_roles
    }

    injects: dict[int, Inject] = {}
    for inject in data.injects:  # in number order, so a dependency exists before its dependents
        injects[inject.number] = loader.upsert(
            Inject,
            lookup={"exercise": exercise, "number": inject.number},
            values={
                "title": inject.title,
                "body": inject.body,
                "kind": inject.kind,
                "channel": inject.channel,
                "sender": inject.sender,
                "phase": phases[inject.phase_order],
                "minute_offset": inject.minute_offset,
                "expected_actions": inject.expected_actions,
                "depends_on": injects[inject.depends_on_number] if inject.depends_on_number else None,
            },
        )
        loader.set_links(injects[inject.number].target_roles, [roles[n] for n in inject.target_role_numbers])
        loader.set_links(
            injects[inject.number].learning_objectives, [objectives[code] for code in inject.objective_codes]
        )
    return exercise, roles


def _load_questionnaire(loader: _Loader, exercise: Exercise) -> Questionnaire:
    data = content.QUESTIONNAIRE
    questionnaire = loader.upsert(
        Questionnaire,
        lookup={"title": data.title},
        values={"introduction": data.introduction, "is_anonymous": data.is_anonymous, "exercise": exercise},
    )
    for question in data.questions:
        loader.upsert(
            Question,
            lookup={"questionnaire": questionnaire, "order": question.order},
            values={
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "choices": list(question.choices),
            },
        )
    return questionnaire


def _load_course(loader: _Loader, objectives: dict[str, LearningObjective], exercise: Exercise) -> Course:
    data = content.COURSE
    course = loader.upsert(
        Course,
        lookup={"slug": data.slug},
        values={"title": data.title, "summary": data.summary, "language": data.language},
    )
    loader.set_links(course.learning_objectives, [objectives[code] for code in data.objective_codes])
    loader.upsert(CourseExercise, lookup={"course": course, "exercise": exercise}, values={"order": 1})
    return course


def _load_user(
    loader: _Loader, person: content.PersonData | content.ParticipantData, role: Role, password_hash: str
) -> User:
    label = str(User._meta.verbose_name_plural)
    before = User.objects.filter(email__iexact=person.email).values("first_name", "last_name").first()
    user, created = user_get_or_create(email=person.email, first_name=person.first_name, last_name=person.last_name)
    if not created:  # the demo's own people get their names back
        user_names_update(user=user, first_name=person.first_name, last_name=person.last_name)
    dirty = before is not None and before != {"first_name": person.first_name, "last_name": person.last_name}
    # The printed password must work, so an account whose password was changed gets it back.
    if user.password != password_hash or not user.is_active:
        user.password = password_hash
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        dirty = True
    if created:
        loader.result.created[label] += 1
    elif dirty:
        loader.result.updated[label] += 1
    else:
        loader.result.unchanged[label] += 1
    if not user.groups.filter(name=role.value).exists():
        user_grant_role(user=user, role=role)
        loader.result.links_changed += 1
    loader.result.logins.append((user.email, str(role.label)))
    return user


def _load_people(
    loader: _Loader, agencies: dict[str, Agency], result: DemoResult
) -> tuple[User, list[User], list[Participant]]:
    password_hash = _demo_password_hash(result.password)
    coordinator = _load_user(loader, content.COORDINATOR, Role.COORDINATOR, password_hash)
    facilitators = [_load_user(loader, person, Role.FACILITATOR, password_hash) for person in content.FACILITATORS]
    participants = []
    for data in content.PARTICIPANTS:
        user = _load_user(loader, data, Role.PARTICIPANT, password_hash)
        participants.append(
            loader.upsert(
                Participant,
                lookup={"user": user},
                values={
                    "agency": agencies[data.agency_key],
                    "position": data.position,
                    "country": data.country,
                    "preferred_language": data.preferred_language,
                },
            )
        )
    return coordinator, facilitators, participants


def _first_day(data: content.CohortData, today: date) -> date:
    day = today + timedelta(days=data.starts_in_days)
    return day + timedelta(days=(data.start_weekday - day.weekday()) % 7)


def _load_cohort(loader: _Loader, course: Course, coordinator: User, facilitators: list[User]) -> Cohort:
    data = content.COHORT
    start = _first_day(data, timezone.localdate(timezone=ZoneInfo(data.time_zone)))
    cohort = loader.upsert(
        Cohort,
        lookup={"slug": data.slug},
        values={"course": course, "name": data.name},
        # Dates and place are set once: rerunning later must not move the course.
        create_only={
            "start_date": start,
            "end_date": start + timedelta(days=data.length_days - 1),
            "delivery_mode": DeliveryMode.IN_PERSON,
            "venue": data.venue,
            "time_zone": data.time_zone,
            "capacity": data.capacity,
        },
    )
    loader.add_links(cohort.coordinators, [coordinator])
    loader.add_links(cohort.facilitators, facilitators)
    return cohort


def _load_sessions(loader: _Loader, cohort: Cohort) -> list[tuple[content.SessionData, Session]]:
    tz = cohort.tz
    sessions = []
    for data in content.COHORT.sessions:
        day = cohort.start_date + timedelta(days=data.day)
        session = loader.upsert(
            Session,
            lookup={"cohort": cohort, "title": data.title},
            values={"description": data.description},
            create_only={
                "starts_at": datetime.combine(day, data.starts, tzinfo=tz),
                "ends_at": datetime.combine(day, data.ends, tzinfo=tz),
                "room": data.room,
            },
        )
        sessions.append((data, session))
    return sessions


def _load_enrolments(
    loader: _Loader, cohort: Cohort, participants: list[Participant], coordinator: User
) -> dict[str, Enrolment]:
    enrolments = {}
    now = timezone.now()
    for participant in participants:
        enrolment = loader.upsert(
            Enrolment,
            lookup={"cohort": cohort, "participant": participant},
            create_only={
                "status": Enrolment.Status.ENROLLED,
                "status_changed_at": now,
                "status_changed_by": coordinator,
            },
        )
        loader.upsert(
            EnrolmentStatusChange,
            lookup={"enrolment": enrolment, "from_status": "", "to_status": Enrolment.Status.ENROLLED},
            create_only={"changed_by": coordinator, "changed_at": now, "note": "Demo data"},
        )
        enrolment_member_sync(enrolment)
        enrolments[participant.user.email] = enrolment
    return enrolments


def _load_run(
    loader: _Loader,
    exercise: Exercise,
    cohort: Cohort,
    sessions: list[tuple[content.SessionData, Session]],
    lead: User,
    roles: dict[int, TeamRole],
    enrolments: dict[str, Enrolment],
) -> ExerciseRun:
    session = next(session for data, session in sessions if data.holds_run)
    run = loader.upsert(
        ExerciseRun,
        lookup={"exercise": exercise, "cohort": cohort},
        create_only={"session": session, "lead_facilitator": lead, "status": ExerciseRun.Status.PLANNED},
    )
    teams = {number: loader.upsert(RunTeam, lookup={"run": run, "team_role": role}) for number, role in roles.items()}
    for data in content.PARTICIPANTS:
        # Set once: a facilitator may reshuffle the teams afterwards.
        loader.upsert(
            TeamMembership,
            lookup={"run": run, "enrolment": enrolments[data.email]},
            create_only={"team": teams[data.team_number]},
        )
    return run
