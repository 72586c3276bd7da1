"""Hand-built report data with known figures and Polish, Romanian and Bulgarian names (no database)."""

import datetime as dt
from dataclasses import replace

from reports.data import (
    PHASE_DONE,
    PHASE_NEVER_ENDED,
    PHASE_NOT_STARTED,
    AckRow,
    ActionRow,
    AgencyRow,
    Bar,
    Cell,
    CohortReport,
    CohortRunRow,
    Edge,
    Exchange,
    Finding,
    InjectRow,
    MatrixLine,
    ObjectiveSection,
    ObservationItem,
    Overview,
    PhaseRow,
    PooledObjective,
    QuestionAggregate,
    ReflectionFigure,
    ReflectionSet,
    RelatedMessage,
    RunReport,
    SlowReply,
    Stats,
    TeamRating,
    TeamRow,
    TextGroup,
    Timeline,
)

UTC = dt.UTC
DAY1, DAY2 = dt.date(2026, 6, 1), dt.date(2026, 6, 2)

PL, RO, BG = "Straż Graniczna", "Poliția de Frontieră", "Гранична полиция"
OBJ_PL = "Identyfikacja ofiar handlu ludźmi"
OBJ_RO = "Cooperare și schimb de informații în țară"
OBJ_BG = "Защита на пострадалите"
FACILITATOR, AUTHOR, CONTACT = "Zofia Wiśniewska", "Ștefan Țurcanu", "Иван Петров"
NAMES = (FACILITATOR, AUTHOR, CONTACT)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def _phase(order, name, lane, planned, minutes, started, ended, state) -> PhaseRow:
    actual = None if started is None or ended is None else int((ended - started).total_seconds())
    return PhaseRow(
        order=order,
        name=name,
        lane=lane,
        planned_start=planned,
        planned_minutes=minutes,
        extension_minutes=0,
        planned_seconds=minutes * 60,
        started_at=started,
        ended_at=ended,
        actual_seconds=actual,
        paused_seconds=0,
        pauses=0,
        difference_seconds=None if actual is None else actual - minutes * 60,
        start_delay_seconds=None if started is None or planned is None else int((started - planned).total_seconds()),
        state=state,
    )


def _stats(ratings: list[int]) -> Stats:
    if not ratings:
        return Stats(0, None, None, None, None)
    mean = sum(ratings) / len(ratings)
    stdev = (sum((r - mean) ** 2 for r in ratings) / len(ratings)) ** 0.5
    return Stats(len(ratings), mean, stdev, min(ratings), max(ratings))


def run_report(*, shareable: bool = False, observations: int = 3) -> RunReport:
    """Known figures: 17 messages, median first reply 4:30, slowest 12:05; the PL objective's ratings
    5, 4, 2 (and so on) average 3.67 with σ 1.25 and spread 2–5."""
    ratings = [5, 4, 2]
    notes = tuple(
        ObservationItem(
            id=i + 1,
            observed_at=at(DAY1, 10, i % 60),
            team=PL if i % 2 else RO,
            objective=OBJ_PL,
            phase="Faza ș ț",
            rating=ratings[i % 3],
            text=f"Obserwacja nr {i + 1}: zgłoszenie ofiary",
            shareable=True,
            author="" if shareable else AUTHOR,
        )
        for i in range(observations)
    )
    cell = Cell
    return RunReport(
        overview=Overview(
            run_id=7,
            title="Ćwiczenie graniczne „Wisła” — Kohorta Kraków 2026",
            course="Przeciwdziałanie handlowi ludźmi",
            cohort="Kohorta Kraków 2026",
            exercise="Ćwiczenie graniczne „Wisła”",
            status="Finished",
            delivery_mode="Stacjonarnie",
            venue="Kraków, sala 2",
            planned_start=at(DAY1, 9),
            started_at=at(DAY1, 9, 5),
            finished_at=at(DAY2, 12),
            facilitators=("Facilitator 1",) if shareable else (FACILITATOR,),
            teams=(
                TeamRow(1, "Zespół A", PL, 4, 4),
                TeamRow(2, "Echipa B", RO, 3, None),
                TeamRow(3, "Екип В", BG, 5, 5),
            ),
            agencies=(AgencyRow(PL, "Border guard", 4), AgencyRow(RO, "Police", 3), AgencyRow(BG, "NGO", 5)),
        ),
        timeline=Timeline(
            lanes=("Dzień 1", "Dzień 2"),
            phases=(
                _phase(1, "Odprawa", "Dzień 1", at(DAY1, 9), 30, at(DAY1, 9, 5), at(DAY1, 9, 40), PHASE_DONE),
                _phase(2, "Faza ș ț", "Dzień 1", at(DAY1, 10), 120, at(DAY1, 10, 10), at(DAY1, 12), PHASE_DONE),
                _phase(3, "Дебрифинг", "Dzień 2", at(DAY2, 9), 60, at(DAY2, 9), None, PHASE_NEVER_ENDED),
            ),
            injects=(
                InjectRow(
                    number=1,
                    title="Podejrzany autokar",
                    status="released",
                    released_at=at(DAY1, 10, 15),
                    automatic=False,
                    acks=(AckRow(PL, at(DAY1, 10, 17), 120), AckRow(RO, None, None)),
                    median_ack_seconds=120,
                    first_message=RelatedMessage(PL, at(DAY1, 10, 20), 300, "" if shareable else "Autokar na granicy"),
                ),
                InjectRow(2, "Sesizare anonimă", "skipped", None, False, (), None, None),
            ),
            planned_seconds=210 * 60,
            actual_seconds=145 * 60,
            paused_seconds=0,
        ),
        exchange=Exchange(
            columns=(PL, RO, BG),
            rows=(
                MatrixLine(PL, (None, cell(9, 9, 7, 240), cell(3, 2, 0, None))),
                MatrixLine(RO, (cell(4, 4, 3, 300), None, None)),
                MatrixLine(BG, (cell(1, 1, 1, 60), None, None)),
            ),
            edges=(Edge(PL, RO, 9), Edge(PL, BG, 3), Edge(RO, PL, 4), Edge(BG, PL, 1)),
            nodes=(PL, RO, BG),
            messages=17,
            deliveries=17,
            read=16,
            replied=11,
            median_first_reply_seconds=270,
            slowest_first_reply=SlowReply(RO, PL, at(DAY1, 11), 725),
            received_nothing=(),
            never_answered=(BG,),
        ),
        objectives=(
            ObjectiveSection(
                key=1,
                code="C1",
                label=OBJ_PL,
                observations=notes,
                by_team=(TeamRating(PL, 1, _stats([4])), TeamRating(RO, 2, _stats([5, 2]))),
                ratings=_stats([n.rating for n in notes if n.rating is not None]),
                reflections=(ReflectionFigure("Refleksja po ćwiczeniu", "Jak pewnie rozpoznajesz ofiarę?", 8, 4.2, 5),),
            ),
            ObjectiveSection(2, "C2", OBJ_RO, (), (), _stats([]), ()),
            ObjectiveSection(
                key=3,
                code="C3",
                label=OBJ_BG,
                observations=(
                    ObservationItem(
                        99,
                        at(DAY1, 11),
                        BG,
                        OBJ_BG,
                        "Faza ș ț",
                        3,
                        "Добра координация",
                        True,
                        "" if shareable else AUTHOR,
                    ),
                ),
                by_team=(TeamRating(BG, 1, _stats([3])),),
                ratings=_stats([3]),
                reflections=(),
            ),
        ),
        strengths=(Finding("hotwash", "Szybka wymiana informacji", PL, OBJ_PL),),
        improvements=(Finding("observation", "Lipsa unui punct de contact național", RO, OBJ_RO, 2),),
        reflections=(
            ReflectionSet(
                title="Refleksja po ćwiczeniu",
                stage="Once",
                anonymous=True,
                respondents=8,
                members=12,
                min_respondents=5,
                shown=True,
                questions=(
                    QuestionAggregate(
                        "Jak pewnie rozpoznajesz ofiarę?",
                        "scale",
                        OBJ_PL,
                        8,
                        4.2,
                        tuple(Bar(str(i), c, round(100 * c / 8)) for i, c in enumerate((0, 1, 1, 3, 3), 1)),
                    ),
                ),
                texts=(TextGroup(OBJ_PL, "Co poprawić?", ("Więcej ćwiczeń z tłumaczem", "Mai multă practică")),),
                prepost=(),
            ),
            ReflectionSet("Ankieta wstępna", "Before the course", True, 3, 12, 5, False, (), (), ()),
        ),
        actions=(
            ActionRow(
                "Punct de contact",
                "Wyznaczyć osobę kontaktową",
                RO,
                "" if shareable else CONTACT,
                dt.date(2026, 9, 1),
                "open",
            ),
        ),
        problems=(),
        generated_at=at(DAY2, 15, 30),
        shareable=shareable,
    )


def shareable_report() -> RunReport:
    return run_report(shareable=True)


def leaky_shareable_report() -> RunReport:
    """A shareable report whose data still carries names: the renderer must leave them out anyway."""
    return replace(run_report(), shareable=True)


def empty_report() -> RunReport:
    """A run that never started: no phase played, no messages, no reflections, problems listed."""
    report = run_report()
    return replace(
        report,
        overview=replace(report.overview, started_at=None, finished_at=None, facilitators=(), agencies=(), teams=()),
        timeline=Timeline(
            lanes=(),
            phases=(_phase(1, "Odprawa", "", None, 30, None, None, PHASE_NOT_STARTED),),
            injects=(),
            planned_seconds=1800,
            actual_seconds=0,
            paused_seconds=0,
        ),
        exchange=Exchange((), (), (), (), 0, 0, 0, 0, None, None, (), ()),
        objectives=(),
        strengths=(),
        improvements=(),
        reflections=(),
        actions=(),
        problems=("Przebieg nigdy się nie rozpoczął.", "Faza „Дебрифинг” nie została zakończona.", "Brak refleksji."),
    )


def cohort_report() -> CohortReport:
    run = run_report()
    return CohortReport(
        cohort="Kohorta Kraków 2026",
        course="Przeciwdziałanie handlowi ludźmi",
        runs=(
            CohortRunRow(7, "Ćwiczenie graniczne „Wisła”", "Finished", at(DAY1, 9, 5), 3, 12, 17, 4, 270, ()),
            CohortRunRow(8, "Exercițiul „Dunărea”", "Scheduled", None, 2, 8, 0, 0, None, ("The run never started.",)),
        ),
        objectives=(PooledObjective("C1", OBJ_PL, _stats([5, 4, 2]), ((7, _stats([5, 4, 2])),)),),
        messages=17,
        deliveries=17,
        replied=11,
        median_first_reply_seconds=270,
        slowest_first_reply=run.exchange.slowest_first_reply,
        reflections=run.reflections,
        problems=("Exercițiul „Dunărea”: the run never started.",),
        generated_at=at(DAY2, 16),
    )
