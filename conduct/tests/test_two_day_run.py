"""A two-day run with a mixed national team and a guest role-player, from planning to the summary, through
the services (factories only for people, agencies, the cohort, its sessions and the exercise's content).

Cohort in Europe/Warsaw, sessions "Day 1" (9 March 2027) and "Day 2" (10 March), 09:00–12:00 each.
Phases (planned minutes): 1 Briefing 30, 2 Investigation 60, 3 Wrap-up 30 on day 1 from 09:00;
4 Embassy 45, 5 Operation 60, 6 Debriefing 30 on day 2 from 09:00.
What happens (local times):
  Day 1  09:00 start; 09:10 inject #1 to the national team, acknowledged 09:11:30 (90 s);
         09:20 the national team writes to the Embassy, read 09:22, answered by the Embassy 09:24 (240 s);
         09:25 observation on the national team (4); 09:32 next phase; 10:30 next phase; 11:00 pause.
  Day 2  09:00 resume, 09:01 next phase; 09:05 inject #2 (by the Embassy, after #1) to the police team,
         acknowledged 09:07 (120 s); 09:30 observation on the police team (3); 09:50 next; 10:50 next;
         11:10 finish.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from conduct import selectors
from conduct.models import InjectDelivery, Message
from conduct.services import (
    delivery_acknowledge,
    inject_release,
    message_read,
    message_send,
    observation_create,
    run_advance,
    run_finish,
    run_pause,
    run_resume,
    run_start,
)
from exercises.models import RunCellMember, RunPhase, TeamMembership
from exercises.selectors.runs import exercise_run_parts
from exercises.selectors.teams import team_assignment_starting_point, team_roster_load
from exercises.services.cells import cell_guest_invite
from exercises.services.runs import exercise_run_create, run_phases_place
from exercises.services.teams import team_assignment_confirm
from exercises.tests.factories import (
    CellRoleFactory,
    ExerciseFactory,
    InjectFactory,
    PhaseFactory,
    TeamPositionFactory,
    TeamRoleFactory,
)
from exercises.tests.test_teams_services import enrol
from participants.models import Enrolment
from trainings.models import AgencyKind
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory, SessionFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
DAY_1 = dt.date(2027, 3, 9)
DAY_2 = dt.date(2027, 3, 10)
PHASES = [
    ("Briefing", 30),
    ("Investigation", 60),
    ("Wrap-up", 30),
    ("Embassy", 45),
    ("Operation", 60),
    ("Debriefing", 30),
]


def at(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes, seconds = (int(part) for part in f"{clock}:00".split(":")[:3])
    return dt.datetime.combine(day, dt.time(hours, minutes, seconds), tzinfo=WARSAW)


def test_a_two_day_run_with_a_mixed_team_and_a_role_player_from_planning_to_summary():
    # 1. The cohort, its two days, its coordinator and facilitator.
    coordinator, facilitator = CoordinatorFactory(), FacilitatorFactory()
    cohort = CohortFactory(
        start_date=DAY_1, end_date=DAY_2, capacity=20, coordinators=[coordinator], facilitators=[facilitator]
    )
    day_1 = SessionFactory(cohort=cohort, title="Day 1", starts_at=at(DAY_1, "09:00"), ends_at=at(DAY_1, "12:00"))
    day_2 = SessionFactory(cohort=cohort, title="Day 2", starts_at=at(DAY_2, "09:00"), ends_at=at(DAY_2, "12:00"))

    # 2. The exercise: six phases, a mixed national team of three positions, a police team, the Embassy.
    exercise = ExerciseFactory(planned_minutes=sum(minutes for _name, minutes in PHASES))
    objective = LearningObjectiveFactory(code="coop", title="Cooperation")
    exercise.learning_objectives.add(objective)
    phases = [
        PhaseFactory(exercise=exercise, order=i, name=name, planned_minutes=minutes)
        for i, (name, minutes) in enumerate(PHASES, start=1)
    ]
    national = TeamRoleFactory(
        exercise=exercise, number=1, name="National team", agency_kind="", mixed=True, planned_size=3
    )
    positions = {
        kind: TeamPositionFactory(team_role=national, order=i, name=name, agency_kind=kind)
        for i, (name, kind) in enumerate(
            [
                ("Investigator", AgencyKind.POLICE),
                ("Labour inspector", AgencyKind.LABOUR_INSPECTION),
                ("Social worker", AgencyKind.SOCIAL_SERVICES),
            ],
            start=1,
        )
    }
    police = TeamRoleFactory(exercise=exercise, number=2, name="Police", agency_kind=AgencyKind.POLICE, planned_size=3)
    embassy = CellRoleFactory(exercise=exercise, name="Embassy")
    inject_1 = InjectFactory(exercise=exercise, number=1, title="Workers found", phase=phases[0], minute_offset=10)
    inject_1.target_roles.add(national)
    inject_2 = InjectFactory(
        exercise=exercise,
        number=2,
        title="The embassy calls",
        phase=phases[3],
        minute_offset=5,
        delivered_by=embassy,
        depends_on=inject_1,
    )
    inject_2.target_roles.add(police)

    # 3. The run, phases 1–3 on day 1 and 4–6 on day 2, end to end from 09:00.
    run = exercise_run_create(exercise=exercise, cohort=cohort, session=day_1, lead_facilitator=facilitator)
    starts = [at(DAY_1, "09:00"), at(DAY_1, "09:30"), at(DAY_1, "10:30")]  # 30 and 60 minutes after 09:00
    starts += [at(DAY_2, "09:00"), at(DAY_2, "09:45"), at(DAY_2, "10:45")]  # 45 and 60 minutes after 09:00
    sessions = [day_1] * 3 + [day_2] * 3
    run_phases_place(
        run=run,
        placements=[
            {"phase": phase, "session": session, "planned_start": start}
            for phase, session, start in zip(phases, sessions, starts, strict=True)
        ],
        by=coordinator,
    )
    run.refresh_from_db()
    assert run.session == day_1
    parts = exercise_run_parts(run=run)
    assert [(str(part.label), part.session, part.starts_at, part.ends_at) for part in parts] == [
        # Day 1 ends with Wrap-up: 10:30 + 30 = 11:00; day 2 with Debriefing: 10:45 + 30 = 11:15.
        ("Day 1: phases 1–3", day_1, at(DAY_1, "09:00"), at(DAY_1, "11:00")),
        ("Day 2: phases 4–6", day_2, at(DAY_2, "09:00"), at(DAY_2, "11:15")),
    ]
    assert not any(part.overruns for part in parts)

    # 4. Six people enrolled; the assistant's proposal, confirmed.
    kinds = [AgencyKind.POLICE] * 4 + [AgencyKind.LABOUR_INSPECTION, AgencyKind.SOCIAL_SERVICES]
    people = [enrol(run, kind) for kind in kinds]
    roster = team_roster_load(run=run)
    proposal, newcomers = team_assignment_starting_point(roster=roster)
    assert newcomers == []
    team_assignment_confirm(run=run, assignments=proposal.items(), by=coordinator)
    run.refresh_from_db()
    assert run.teams_confirmed_by == coordinator
    teams = {team.team_role_id: team for team in run.teams.all()}
    national_team, police_team = teams[national.pk], teams[police.pk]
    seats = TeamMembership.objects.filter(run=run).select_related("enrolment__participant__agency", "position")
    # Planned sizes 3 and 3 for six people; each position of the mixed team held by its agency kind.
    assert sorted((m.team_id, m.position_id is not None) for m in seats) == sorted(
        [(national_team.pk, True)] * 3 + [(police_team.pk, False)] * 3
    )
    held = {m.position_id: m.enrolment.participant.agency.kind for m in seats if m.position_id}
    assert held == {position.pk: kind for kind, position in positions.items()}
    members = {
        team.pk: [m.enrolment.participant.user for m in seats if m.team_id == team.pk] for team in teams.values()
    }
    national_member, police_member = members[national_team.pk][0], members[police_team.pk][0]

    # 5. A guest role-player for the Embassy: a place in the run's cell, none in the cohort.
    place = cell_guest_invite(
        run=run, email="consul@embassy.example", name="Consul Guest", cell_roles=[embassy], by=coordinator
    )
    role_player = place.user
    assert (place.guest, place.kind, list(place.cell_roles.all())) == (True, RunCellMember.Kind.ROLE_PLAYER, [embassy])
    assert not Enrolment.objects.filter(cohort=cohort, participant__user=role_player).exists()
    assert not cohort.facilitators.filter(pk=role_player.pk).exists()
    assert not cohort.coordinators.filter(pk=role_player.pk).exists()
    assert Enrolment.objects.filter(cohort=cohort).count() == len(people)

    # 6. Day 1.
    run_start(run=run, by=facilitator, now=at(DAY_1, "09:00"))
    release_1 = inject_release(run=run, inject=inject_1, by=facilitator, now=at(DAY_1, "09:10"))
    delivery_1 = InjectDelivery.objects.get(release=release_1)
    assert delivery_1.team == national_team
    delivery_acknowledge(delivery=delivery_1, by=national_member, now=at(DAY_1, "09:11:30"))
    request = message_send(
        run=run,
        by=national_member,
        sender_team=national_team,
        recipient_cell_roles=[embassy],
        subject="Six workers",
        body="Six workers with irregular documents say they are your nationals.",
        now=at(DAY_1, "09:20"),
    )
    assert message_read(message=request, by=role_player, now=at(DAY_1, "09:22")) == 1
    answer = message_send(
        run=run,
        by=role_player,
        sender_cell_role=embassy,
        recipient_teams=[national_team],
        body="Send us their names; a consul comes tomorrow.",
        reply_to=request,
        now=at(DAY_1, "09:24"),
    )
    assert message_read(message=answer, by=national_member, now=at(DAY_1, "09:26")) == 1
    observation_create(
        run=run,
        by=facilitator,
        text="Asked the embassy at once.",
        rating=4,
        team=national_team,
        objective=objective,
        inject=inject_1,
        shareable=True,
        now=at(DAY_1, "09:25"),
    )
    run_advance(run=run, from_phase=phases[0].pk, by=facilitator, now=at(DAY_1, "09:32"))
    run_advance(run=run, from_phase=phases[1].pk, by=facilitator, now=at(DAY_1, "10:30"))
    run_pause(run=run, by=facilitator, now=at(DAY_1, "11:00"))

    # Day 2.
    run_resume(run=run, by=facilitator, now=at(DAY_2, "09:00"))
    run_advance(run=run, from_phase=phases[2].pk, by=facilitator, now=at(DAY_2, "09:01"))
    release_2 = inject_release(run=run, inject=inject_2, by=facilitator, now=at(DAY_2, "09:05"))
    assert (release_2.delivered_by, release_2.dependency_overridden) == (embassy, False)
    delivery_2 = InjectDelivery.objects.get(release=release_2)
    assert delivery_2.team == police_team
    delivery_acknowledge(delivery=delivery_2, by=police_member, now=at(DAY_2, "09:07"))
    observation_create(
        run=run, by=facilitator, text="Slow to share.", rating=3, team=police_team, now=at(DAY_2, "09:30")
    )
    run_advance(run=run, from_phase=phases[3].pk, by=facilitator, now=at(DAY_2, "09:50"))
    run_advance(run=run, from_phase=phases[4].pk, by=facilitator, now=at(DAY_2, "10:50"))
    run_finish(run=run, by=facilitator, now=at(DAY_2, "11:10"))
    run.refresh_from_db()
    assert run.status == "finished"
    assert RunPhase.objects.filter(run=run, ended_at__isnull=True).count() == 0

    # 7. The summary.
    summary = selectors.run_summary(run=run, user=facilitator, now=at(DAY_2, "12:00"))
    assert [
        (p.phase.name, p.session, p.planned_start, p.actual_seconds, p.planned_seconds, p.difference_seconds)
        for p in summary.phases
    ] == [
        # Briefing 09:00–09:32: 32 min = 1920 s against 30 min = 1800 s: +120.
        ("Briefing", "Day 1", at(DAY_1, "09:00"), 1920, 1800, 120),
        # Investigation 09:32–10:30: 58 min = 3480 s against 3600 s: −120.
        ("Investigation", "Day 1", at(DAY_1, "09:30"), 3480, 3600, -120),
        # Wrap-up day 1 10:30 to day 2 09:01 = 22 h 31 min, less the night's pause 11:00–09:00 (22 h):
        # 31 min = 1860 s against 1800 s: +60.
        ("Wrap-up", "Day 1", at(DAY_1, "10:30"), 1860, 1800, 60),
        # Embassy 09:01–09:50: 49 min = 2940 s against 45 min = 2700 s: +240.
        ("Embassy", "Day 2", at(DAY_2, "09:00"), 2940, 2700, 240),
        # Operation 09:50–10:50: 3600 s as planned.
        ("Operation", "Day 2", at(DAY_2, "09:45"), 3600, 3600, 0),
        # Debriefing 10:50–11:10: 20 min = 1200 s against 1800 s: −600.
        ("Debriefing", "Day 2", at(DAY_2, "10:45"), 1200, 1800, -600),
    ]
    wrap_up = summary.phases[2]
    assert (wrap_up.pauses, wrap_up.paused_seconds) == (1, 22 * 3600)
    # Planned 30+60+30+45+60+30 = 255 min = 15300 s; actual 1920+3480+1860+2940+3600+1200 = 15000 s.
    assert (summary.planned_seconds, summary.actual_seconds) == (15300, 15000)

    injects = [
        (i.number, i.status, i.at, [(t.team.key, t.seconds) for t in i.teams], i.dependency_overridden)
        for i in summary.injects
    ]
    assert injects == [
        # #1 released 09:10:00, acknowledged 09:11:30: 90 s.
        (1, "released", at(DAY_1, "09:10"), [(("team", national_team.pk), 90)], False),
        # #2 released day 2 09:05, acknowledged 09:07: 120 s.
        (2, "released", at(DAY_2, "09:05"), [(("team", police_team.pk), 120)], False),
    ]

    pairs = {(p.sender.key, p.recipient.key): p for p in summary.matrix.pairs}
    national_key, embassy_key = ("team", national_team.pk), ("cell", embassy.pk)
    assert set(pairs) == {(national_key, embassy_key), (embassy_key, national_key)}
    to_embassy, from_embassy = pairs[national_key, embassy_key], pairs[embassy_key, national_key]
    # Sent 09:20, answered 09:24: one message, read, answered, median first reply 4 min = 240 s.
    assert (to_embassy.count, to_embassy.read, to_embassy.replied, to_embassy.median_reply_seconds) == (1, 1, 1, 240.0)
    # The answer, read 09:26, never answered.
    assert (from_embassy.count, from_embassy.read, from_embassy.replied) == (1, 1, 0)
    assert from_embassy.median_reply_seconds is None

    by_team = {group.key: (group.count, group.mean_rating) for group in summary.by_team}
    assert by_team == {national_team.pk: (1, 4.0), police_team.pk: (1, 3.0)}
    by_objective = {group.key: group.count for group in summary.by_objective}
    assert by_objective == {objective.pk: 1, None: 1}
    assert summary.observation_count == 2

    # The timeline: everything, in order, across both days.
    timeline = selectors.run_timeline(run=run, user=facilitator)
    nat, pol, fay = "Team 1: National team", "Team 2: Police", str(facilitator)
    assert [(entry.at, entry.kind, entry.actor, entry.parties, entry.phase) for entry in timeline] == [
        (at(DAY_1, "09:00"), "start", fay, (), "Briefing"),
        (at(DAY_1, "09:10"), "released", fay, (nat,), "Briefing"),
        (at(DAY_1, "09:11:30"), "acknowledged", nat, (), ""),
        (at(DAY_1, "09:20"), "message", nat, ("Embassy",), ""),
        (at(DAY_1, "09:22"), "read", "Embassy", (nat,), ""),
        (at(DAY_1, "09:24"), "message", "Embassy", (nat,), ""),
        (at(DAY_1, "09:24"), "reply", "Embassy", (nat,), ""),
        (at(DAY_1, "09:25"), "observation", fay, (nat,), "Briefing"),
        (at(DAY_1, "09:26"), "read", nat, ("Embassy",), ""),
        (at(DAY_1, "09:32"), "advance", fay, (), "Investigation"),
        (at(DAY_1, "10:30"), "advance", fay, (), "Wrap-up"),
        (at(DAY_1, "11:00"), "pause", fay, (), "Wrap-up"),
        (at(DAY_2, "09:00"), "resume", fay, (), "Wrap-up"),
        (at(DAY_2, "09:01"), "advance", fay, (), "Embassy"),
        (at(DAY_2, "09:05"), "released", fay, (pol,), "Embassy"),
        (at(DAY_2, "09:07"), "acknowledged", pol, (), ""),
        (at(DAY_2, "09:30"), "observation", fay, (pol,), "Embassy"),
        (at(DAY_2, "09:50"), "advance", fay, (), "Operation"),
        (at(DAY_2, "10:50"), "advance", fay, (), "Debriefing"),
        (at(DAY_2, "11:10"), "finish", fay, (), "Debriefing"),
    ]
    assert Message.objects.filter(run=run).count() == 2
