"""A hand-made run for the summary's tests, and the figures computed by hand from it.

The pure tests (test_summary.py) turn it into rows; the database test (test_debrief.py) into records.
Both check every figure with ``assert_hand_figures``. Times are minutes:seconds after T0.

Phases: Briefing 10 min, Crisis 30 min, Debriefing 20 min.
  Briefing   00:00 start, paused 04:00–06:00 (120 s), ends 13:00 → 13 min wall − 2 = 660 s, plan 600, +60.
  Crisis     13:00, +5 min at 30:00, paused 40:00–41:30 and 50:00–51:00 (150 s, 2 pauses), ends 52:00
             → 39 min wall = 2340 − 150 = 2190 s, plan 35 min = 2100, +90.
  Debriefing 52:00, paused 60:00, finished 65:00 while paused → 780 − 300 = 480 s, plan 1200, −720.
  Totals: plan 3900 s, actual 3330 s, 5 min added, 570 s paused.
Injects (teams A, B, C; cell role Embassy):
  #1 released 15:00 to A, B, C (before its dependency): A acks 16:30 (90 s), B 18:00 (180 s), C never;
     median 135.
  #2 skipped 20:00.  Ad hoc "Journalist calls" 25:00 to B (automatic=False), B acks 25:45 (45 s).
  #3 never released: pending.
Messages:
  M1 A→B,C 20:00: B read 21:00, replied 24:00 (240 s); C read 22:00, no reply.
  M2 A→B 30:00: read 30:30, replied 31:00 (60 s).   M3 A→B 40:00: unread.
  M4 B→A 24:00: read 24:10, replied 26:00 (120 s).
  M5 C→Embassy 35:00: read 36:00, replied 45:00 (600 s).   M6 Embassy→C 45:00: read 46:00.
  M7 control→A,B 10:00: unread.
  Pairs: A→B 3 (2 read, 2 answered, median (240+60)/2 = 150), A→C 1 (1, 0, –), B→A 1 (1, 1, 120),
  C→Embassy 1 (1, 1, 600), Embassy→C 1 (1, 0, –), control→A 1 (0, 0, –), control→B 1 (0, 0, –): 9 in all.
Observations:
  O1 A, obj1, 4, 16:00, shareable   O2 A, obj2, 2, 33:00   O3 B, obj1, 5, 35:00, shareable
  O4 no team, obj1, no rating, 50:00   O5 C, no objective, 3, 55:00, shareable
  By team: A 2 (mean 3.0), B 1 (5.0), C 1 (3.0), none 1 (no rating).
  By objective: obj1 3 (2 rated, mean 4.5), obj2 1 (2.0), none 1 (3.0).
  Shareable only: A 1 (4.0), B 1 (5.0), C 1 (3.0); obj1 2 (4.5), none 1 (3.0).
"""

import datetime as dt

from conduct.summary import RunSummary

T0 = dt.datetime(2026, 5, 12, 9, 0, tzinfo=dt.UTC)


def at(clock: str) -> dt.datetime:
    minutes, seconds = clock.split(":")
    return T0 + dt.timedelta(minutes=int(minutes), seconds=int(seconds))


PHASES = [("Briefing", 10), ("Crisis", 30), ("Debriefing", 20)]
# (kind, when, phase index, minutes)
EVENTS = [
    ("start", "00:00", 0, None),
    ("pause", "04:00", 0, None),
    ("resume", "06:00", 0, None),
    ("advance", "13:00", 1, None),
    ("extend", "30:00", 1, 5),
    ("pause", "40:00", 1, None),
    ("resume", "41:30", 1, None),
    ("pause", "50:00", 1, None),
    ("resume", "51:00", 1, None),
    ("advance", "52:00", 2, None),
    ("pause", "60:00", 2, None),
    ("finish", "65:00", 2, None),
]
TEAMS = ["A", "B", "C"]
CELL_ROLES = ["Embassy"]
INJECTS = [(1, "Victims moved"), (2, "Suspect escapes"), (3, "Transport problem")]
# (inject number or None for ad hoc, title, status, when, dependency overridden, [(team, acknowledged when)])
RELEASES = [
    (1, "Victims moved", "released", "15:00", True, [("A", "16:30"), ("B", "18:00"), ("C", None)]),
    (2, "Suspect escapes", "skipped", "20:00", False, []),
    (None, "Journalist calls", "released", "25:00", False, [("B", "25:45")]),
]
# (sender: ("team", name) / ("cell", name) / ("control", ""), when, [(recipient, read, replied)])
MESSAGES = [
    (("team", "A"), "20:00", [(("team", "B"), "21:00", "24:00"), (("team", "C"), "22:00", None)]),
    (("team", "A"), "30:00", [(("team", "B"), "30:30", "31:00")]),
    (("team", "A"), "40:00", [(("team", "B"), None, None)]),
    (("team", "B"), "24:00", [(("team", "A"), "24:10", "26:00")]),
    (("team", "C"), "35:00", [(("cell", "Embassy"), "36:00", "45:00")]),
    (("cell", "Embassy"), "45:00", [(("team", "C"), "46:00", None)]),
    (("control", ""), "10:00", [(("team", "A"), None, None), (("team", "B"), None, None)]),
]
OBJECTIVES = ["obj1", "obj2"]
# (team or None, objective or None, rating, when, shareable)
OBSERVATIONS = [
    ("A", "obj1", 4, "16:00", True),
    ("A", "obj2", 2, "33:00", False),
    ("B", "obj1", 5, "35:00", True),
    (None, "obj1", None, "50:00", False),
    ("C", None, 3, "55:00", True),
]


def assert_hand_figures(summary: RunSummary, *, names: dict[str, str], shareable_only: bool = False) -> None:
    """Every figure of ``summary`` against the hand-computed ones; ``names`` maps A, B, C, Embassy, obj1,
    obj2 and control to the labels the summary shows."""
    phases = [
        (
            p.phase.name,
            p.started_at,
            p.ended_at,
            p.extension_minutes,
            p.pauses,
            p.paused_seconds,
            p.actual_seconds,
            p.planned_seconds,
            p.difference_seconds,
        )
        for p in summary.phases
    ]
    assert phases == [
        ("Briefing", at("00:00"), at("13:00"), 0, 1, 120, 660, 600, 60),
        ("Crisis", at("13:00"), at("52:00"), 5, 2, 150, 2190, 2100, 90),
        ("Debriefing", at("52:00"), at("65:00"), 0, 1, 300, 480, 1200, -720),
    ]
    assert not any(p.running for p in summary.phases)
    assert (summary.planned_seconds, summary.actual_seconds, summary.extension_minutes, summary.paused_seconds) == (
        3900,
        3330,
        5,
        570,
    )

    injects = [
        (
            i.number,
            i.title,
            i.status,
            i.at,
            i.dependency_overridden,
            [(t.team.name, t.seconds) for t in i.teams],
            i.median_seconds,
            [t.team.name for t in i.unacknowledged],
        )
        for i in summary.injects
    ]
    a, b, c = names["A"], names["B"], names["C"]
    assert injects == [
        (1, "Victims moved", "released", at("15:00"), True, [(a, 90), (b, 180), (c, None)], 135.0, [c]),
        (2, "Suspect escapes", "skipped", at("20:00"), False, [], None, []),
        (None, "Journalist calls", "released", at("25:00"), False, [(b, 45)], 45.0, []),
        (3, "Transport problem", "pending", None, False, [], None, []),
    ]

    matrix = summary.matrix
    embassy, control = names["Embassy"], names["control"]
    assert [column.name for column in matrix.columns] == [a, b, c, embassy]
    assert [row.sender.name for row in matrix.rows] == [a, b, c, embassy, control]
    pairs = [
        (p.sender.name, p.recipient.name, p.count, p.read, p.replied, p.median_reply_seconds) for p in matrix.pairs
    ]
    assert pairs == [
        (a, b, 3, 2, 2, 150.0),
        (a, c, 1, 1, 0, None),
        (b, a, 1, 1, 1, 120.0),
        (c, embassy, 1, 1, 1, 600.0),
        (embassy, c, 1, 1, 0, None),
        (control, a, 1, 0, 0, None),
        (control, b, 1, 0, 0, None),
    ]
    assert matrix.total == 9
    # The grid: A's row has cells under B and C only.
    assert [cell.count if cell else None for cell in matrix.rows[0].cells] == [None, 3, 1, None]

    by_team = [(g.label, g.count, g.rated, g.mean_rating) for g in summary.by_team]
    by_objective = [(g.label, g.count, g.rated, g.mean_rating) for g in summary.by_objective]
    obj1, obj2 = names["obj1"], names["obj2"]
    if shareable_only:
        assert summary.observation_count == 3
        assert by_team == [(a, 1, 1, 4.0), (b, 1, 1, 5.0), (c, 1, 1, 3.0)]
        assert by_objective == [(obj1, 2, 2, 4.5), (names["no objective"], 1, 1, 3.0)]
    else:
        assert summary.observation_count == 5
        assert by_team == [(a, 2, 2, 3.0), (b, 1, 1, 5.0), (c, 1, 1, 3.0), (names["no team"], 1, 0, None)]
        assert by_objective == [(obj1, 3, 2, 4.5), (obj2, 1, 1, 2.0), (names["no objective"], 1, 1, 3.0)]
        assert [o.rating for o in summary.by_objective[0].observations] == [4, 5, None]  # in time order

    # The exchange's totals: 7 messages, 9 deliveries, 6 read, 4 replied (60, 120, 240, 600 s: median 180),
    # the slowest C → Embassy (600 s, sent 35:00); every team received something, C never replied.
    exchange = summary.exchange
    assert exchange is not None
    assert (exchange.messages, exchange.deliveries, exchange.read, exchange.replied) == (7, 9, 6, 4)
    assert exchange.median_first_reply_seconds == 180.0
    assert exchange.slowest is not None
    assert (exchange.slowest.sender.name, exchange.slowest.recipient.name) == (c, embassy)
    assert (exchange.slowest.sent_at, exchange.slowest.seconds) == (at("35:00"), 600)
    assert exchange.received_nothing == ()
    assert [p.name for p in exchange.never_answered] == [c]
    # Inject 1 (15:00 to A, B, C): the first message one of them sent after it is A's at 20:00, 300 s on.
    # B's last message (24:00) came before the ad-hoc inject (25:00); skipped and pending ones have none.
    first = [
        (i.first_message.sender.name, i.first_message.seconds) if i.first_message else None for i in summary.injects
    ]
    assert first == [(a, 300), None, None, None]
