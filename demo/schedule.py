"""The demo's cohort in Warsaw: its staff, sessions, enrolments and the scheduled exercise run.

Created through the services a coordinator's pages use, with every schedule check. What a
coordinator plans afterwards (dates, times, rooms, enrolment statuses, the run's session and its
teams) is set only when first created: a rerun never moves the course.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from demo import content
from demo.sync import Tally, changes, label_of
from exercises import selectors as exercise_selectors
from exercises import services as exercise_services
from exercises.models import Exercise, ExerciseRun, TeamMembership
from participants import services as participant_services
from participants.models import Enrolment, Participant
from portal import services as portal_services
from trainings import services as training_services
from trainings.models import Cohort, Course, DeliveryMode, Session

_ENROLMENT_NOTE = "Demo data"


def first_day(data: content.CohortData, today: date) -> date:
    day = today + timedelta(days=data.starts_in_days)
    return day + timedelta(days=(data.start_weekday - day.weekday()) % 7)


def load_cohort(tally: Tally, course: Course, coordinator: User, facilitators: list[User]) -> Cohort:
    data = content.COHORT
    cohort = Cohort.objects.filter(slug=data.slug).first()
    if cohort is None:
        start = first_day(data, timezone.localdate(timezone=ZoneInfo(data.time_zone)))
        tally.note(Cohort, created=True)
        return training_services.cohort_create(
            course=course,
            name=data.name,
            slug=data.slug,
            start_date=start,
            end_date=start + timedelta(days=data.length_days - 1),
            time_zone=data.time_zone,
            capacity=data.capacity,
            delivery_mode=DeliveryMode.IN_PERSON,
            venue=data.venue,
            coordinators=[coordinator],
            facilitators=facilitators,
        )
    # Dates, place and capacity were set once: rerunning later must not move the course. Staff a
    # coordinator added stay; the demo's own are added back if they were removed.
    differ = changes(cohort, {"course": course, "name": data.name})
    for relation, people in (("coordinators", [coordinator]), ("facilitators", facilitators)):
        current = list(getattr(cohort, relation).all())
        missing = [person for person in people if person not in current]
        if missing:
            differ[relation] = current + missing
            tally.links_changed += 1
    if differ:
        portal_services.cohort_update(cohort=cohort, data=differ, by=coordinator)
    tally.note(Cohort, changed=bool(differ))
    return cohort


def load_sessions(tally: Tally, cohort: Cohort) -> list[tuple[content.SessionData, Session]]:
    """Sessions are created through portal's service, with every schedule check; a rerun only
    brings descriptions back, and leaves times and rooms where a coordinator put them."""
    tz = cohort.tz
    sessions = []
    for data in content.COHORT.sessions:
        session = Session.objects.filter(cohort=cohort, title=data.title).order_by("pk").first()
        if session is None:
            day = cohort.start_date + timedelta(days=data.day)
            session = portal_services.session_create(
                cohort=cohort,
                title=data.title,
                starts_at=datetime.combine(day, data.starts, tzinfo=tz),
                ends_at=datetime.combine(day, data.ends, tzinfo=tz),
                description=data.description,
                room=data.room,
            )
            tally.note(Session, created=True)
        else:
            differ = changes(session, {"description": data.description})
            if differ:
                portal_services.session_update(session=session, data=differ)
            tally.note(Session, changed=bool(differ))
        sessions.append((data, session))
    return sessions


def load_enrolments(
    tally: Tally, cohort: Cohort, participants: list[Participant], coordinator: User
) -> dict[str, Enrolment]:
    """Enrolled by the coordinator, without email (``notify=False``); an existing enrolment keeps its status."""
    existing = {e.participant_id: e for e in Enrolment.objects.filter(cohort=cohort, participant__in=participants)}
    enrolments = {}
    for participant in participants:
        enrolment = existing.get(participant.pk)
        if enrolment is None:
            enrolment = participant_services.enrolment_create(
                cohort=cohort,
                participant=participant,
                by=coordinator,
                status=Enrolment.Status.ENROLLED,
                note=_ENROLMENT_NOTE,
                notify=False,
            )
        tally.note(Enrolment, created=participant.pk not in existing)
        enrolments[participant.user.email] = enrolment
    return enrolments


def load_run(
    tally: Tally,
    exercise: Exercise,
    cohort: Cohort,
    sessions: list[tuple[content.SessionData, Session]],
    lead: User,
    enrolments: dict[str, Enrolment],
) -> ExerciseRun:
    run = ExerciseRun.objects.filter(exercise=exercise, cohort=cohort).order_by("pk").first()
    if run is None:
        session = next(session for data, session in sessions if data.holds_run)
        # One team per team role comes with the run.
        run = exercise_services.exercise_run_create(
            exercise=exercise, cohort=cohort, session=session, lead_facilitator=lead
        )
        tally.note(ExerciseRun, created=True)
    else:
        # Its session and lead were set once: a coordinator may have moved it.
        tally.note(ExerciseRun)
    memberships = label_of(TeamMembership)
    if run.teams_confirmed_at is None and run.status == ExerciseRun.Status.PLANNED:
        tally.created[memberships] += _confirm_teams(run, enrolments, by=run.lead_facilitator or lead)
    else:
        # Confirmed once: a facilitator may have reshuffled the teams since.
        tally.unchanged[memberships] += TeamMembership.objects.filter(run=run).count()
    return run


def _confirm_teams(run: ExerciseRun, enrolments: dict[str, Enrolment], *, by: User) -> int:
    """The assistant proposes teams for everyone playing; the seed's people take the teams the seed
    gives them (each mostly plays their own agency); the lead facilitator confirms them."""
    roster = exercise_selectors.team_roster_load(run=run)
    assignment = exercise_selectors.team_assignment_propose(roster=roster, strategy="realistic")
    team_of_role = {team.team_role.number: team.pk for team in roster.teams}
    for data in content.PARTICIPANTS:
        enrolment = enrolments[data.email]
        if enrolment.pk in assignment:  # still playing: not withdrawn since an earlier load
            assignment[enrolment.pk] = team_of_role[data.team_number]
    exercise_services.team_assignment_confirm(run=run, assignments=assignment.items(), by=by)
    return len(assignment)
