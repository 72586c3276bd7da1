"""The run summary's arithmetic (conduct.summary) on plain rows: no database."""

import datetime as dt

import pytest

from conduct import summary
from conduct.clock import Event, PlannedPhase
from conduct.tests import debrief_scenario as scenario
from conduct.tests.debrief_scenario import at

NAMES = {
    "A": "Team A",
    "B": "Team B",
    "C": "Team C",
    "Embassy": "Embassy",
    "obj1": "obj1 – Cooperation",
    "obj2": "obj2 – Victims",
    "control": "Exercise control",
    "no team": "No team",
    "no objective": "No objective",
}


def _scenario_summary(*, shareable_only: bool = False, now: dt.datetime | None = None) -> summary.RunSummary:
    phases = [
        PlannedPhase(id=100 + i, order=i + 1, name=name, planned_minutes=minutes)
        for i, (name, minutes) in enumerate(scenario.PHASES)
    ]
    events = [Event(kind, at(when), 100 + index, minutes) for kind, when, index, minutes in scenario.EVENTS]
    team_ids = {name: 10 + i for i, name in enumerate(scenario.TEAMS)}
    cell_ids = {name: 50 + i for i, name in enumerate(scenario.CELL_ROLES)}
    parties = [summary.Party((summary.TEAM, team_ids[n]), NAMES[n]) for n in scenario.TEAMS]
    parties += [summary.Party((summary.CELL, cell_ids[n]), NAMES[n]) for n in scenario.CELL_ROLES]
    parties.append(summary.Party(summary.CONTROL_KEY, NAMES["control"]))
    releases, deliveries = [], []
    for pk, (number, title, status, when, overridden, teams) in enumerate(scenario.RELEASES, start=1):
        releases.append(summary.ReleaseRow(pk, number, title, status, at(when), False, overridden))
        deliveries += [summary.DeliveryRow(pk, team_ids[t], at(ack) if ack else None) for t, ack in teams]
    released = {r.number for r in releases}
    pending = [summary.PendingInjectRow(n, n, t) for n, t in scenario.INJECTS if n not in released]

    def key(party: tuple[str, str]) -> summary.PartyKey:
        kind, name = party
        return {"team": (summary.TEAM, team_ids.get(name, 0)), "cell": (summary.CELL, cell_ids.get(name, 0))}.get(
            kind, summary.CONTROL_KEY
        )

    recipients = [
        summary.RecipientRow(
            pk, key(sender), at(when), key(to), at(read) if read else None, at(reply) if reply else None
        )
        for pk, (sender, when, addressees) in enumerate(scenario.MESSAGES, start=1)
        for to, read, reply in addressees
    ]
    objective_ids = {name: 70 + i for i, name in enumerate(scenario.OBJECTIVES)}
    observations = [
        summary.ObservationRow(
            id=pk,
            observed_at=at(when),
            team_id=team_ids[team] if team else None,
            objective_id=objective_ids[objective] if objective else None,
            rating=rating,
            text=f"note {pk}",
            shareable=shareable,
            team=NAMES[team] if team else "",
            objective=NAMES[objective] if objective else "",
        )
        for pk, (team, objective, rating, when, shareable) in enumerate(scenario.OBSERVATIONS, start=1)
        if shareable or not shareable_only
    ]
    return summary.summary_compute(
        phases=list(reversed(phases)),  # any order in: the plan's order out
        events=events,
        releases=list(reversed(releases)),  # any order in: time order out
        deliveries=deliveries,
        pending=pending,
        parties=parties,
        recipients=list(reversed(recipients)),
        observations=list(reversed(observations)),
        objective_order=[objective_ids["obj1"], objective_ids["obj2"]],
        no_team=NAMES["no team"],
        no_objective=NAMES["no objective"],
        now=now or at("90:00"),
    )


def test_every_figure_of_the_hand_made_run():
    scenario.assert_hand_figures(_scenario_summary(), names=NAMES)


def test_only_the_notes_for_the_debrief():
    scenario.assert_hand_figures(_scenario_summary(shareable_only=True), names=NAMES, shareable_only=True)


def _phases(*names_minutes: tuple[str, int]) -> list[PlannedPhase]:
    return [PlannedPhase(i + 1, i + 1, name, minutes) for i, (name, minutes) in enumerate(names_minutes)]


def test_a_running_phase_counts_up_to_now_and_an_open_pause_too():
    phases = _phases(("One", 10), ("Two", 20))
    events = [Event("start", at("00:00"), 1), Event("advance", at("12:00"), 2), Event("pause", at("20:00"), 2)]
    one, two = summary.phase_outcomes(phases=phases, events=events, now=at("25:00"))
    assert (one.actual_seconds, one.difference_seconds, one.running) == (720, 120, False)
    # 13 minutes since the advance, 5 of them paused (still paused now).
    assert (two.started_at, two.ended_at, two.running) == (at("12:00"), None, True)
    assert (two.pauses, two.paused_seconds, two.actual_seconds, two.difference_seconds) == (1, 300, 480, -720)


def test_a_phase_placed_in_a_session_knows_its_day_and_how_late_it_started():
    phases = _phases(("One", 10), ("Two", 20))
    placements = {2: summary.Placement("Day two", at("30:00"))}
    events = [Event("start", at("00:00"), 1), Event("advance", at("32:30"), 2)]
    one, two = summary.phase_outcomes(phases=phases, events=events, now=at("40:00"), placements=placements)
    assert (one.session, one.planned_start, one.start_delay_seconds) == ("", None, None)
    assert (two.session, two.planned_start, two.start_delay_seconds) == ("Day two", at("30:00"), 150)


def test_phases_never_played_have_no_actual_time():
    outcomes = summary.phase_outcomes(phases=_phases(("One", 10), ("Two", 20)), events=[], now=at("05:00"))
    assert [(o.started_at, o.actual_seconds, o.difference_seconds, o.planned_seconds) for o in outcomes] == [
        (None, None, None, 600),
        (None, None, None, 1200),
    ]


def test_an_extension_belongs_to_the_phase_it_names():
    phases = _phases(("One", 10), ("Two", 20))
    events = [
        Event("start", at("00:00"), 1),
        Event("extend", at("05:00"), 1, 3),
        Event("extend", at("06:00"), 1, 2),
        Event("advance", at("15:00"), 2),
        Event("finish", at("30:00"), 2),
    ]
    one, two = summary.phase_outcomes(phases=phases, events=events, now=at("99:00"))
    assert (one.extension_minutes, one.planned_seconds, one.actual_seconds, one.difference_seconds) == (5, 900, 900, 0)
    assert (two.extension_minutes, two.actual_seconds, two.difference_seconds) == (0, 900, -300)


@pytest.mark.parametrize(
    ("values", "expected"), [([], None), ([7], 7.0), ([30, 10, 20], 20.0), ([10, 40, 20, 30], 25.0), ([1, 2], 1.5)]
)
def test_median(values, expected):
    assert summary.median(values) == expected


def test_an_inject_acknowledged_by_nobody_lists_every_team_as_unacknowledged():
    teams = [summary.Party((summary.TEAM, 1), "One"), summary.Party((summary.TEAM, 2), "Two")]
    (outcome,) = summary.inject_outcomes(
        releases=[summary.ReleaseRow(5, None, "Call", "released", at("01:00"))],
        deliveries=[summary.DeliveryRow(5, 2, None), summary.DeliveryRow(5, 1, None)],
        teams=teams,
    )
    assert [t.team.name for t in outcome.unacknowledged] == ["One", "Two"]  # in the teams' order
    assert (outcome.acknowledged, outcome.median_seconds) == ((), None)


def test_the_matrix_lists_only_senders_who_wrote_and_every_addressee_as_a_column():
    parties = [
        summary.Party((summary.TEAM, 1), "One"),
        summary.Party((summary.TEAM, 2), "Two"),
        summary.Party((summary.CELL, 9), "Media"),
        summary.Party(summary.CONTROL_KEY, "Control"),
    ]
    rows = [
        summary.RecipientRow(1, (summary.TEAM, 2), at("01:00"), (summary.CELL, 9), at("01:10"), at("03:00")),
        summary.RecipientRow(2, (summary.TEAM, 2), at("05:00"), (summary.CELL, 9), None, at("05:30")),
        summary.RecipientRow(3, (summary.TEAM, 2), at("06:00"), (summary.CELL, 9), None, at("16:00")),
    ]
    matrix = summary.message_matrix(parties=parties, recipients=rows)
    assert [c.name for c in matrix.columns] == ["One", "Two", "Media"]
    assert [r.sender.name for r in matrix.rows] == ["Two"]
    (pair,) = matrix.pairs
    # Replies after 120, 30 and 600 seconds: the median is 120.
    assert (pair.count, pair.read, pair.replied, pair.median_reply_seconds) == (3, 1, 3, 120.0)
    assert summary.message_matrix(parties=parties, recipients=[]).rows == ()


def test_observation_groups_refuse_an_unknown_grouping():
    with pytest.raises(ValueError, match="phase"):
        summary.observation_groups(observations=[], by="phase", order=[], none_label="")
