"""Hand-built report data with known figures and Polish, Romanian and Bulgarian names (no database)."""

import datetime as dt
from dataclasses import replace

from reports.data import (
    Acknowledgement,
    AgencyRow,
    Bar,
    Exchange,
    ImprovementRow,
    InjectRow,
    ObjectiveResult,
    Observation,
    Overview,
    PhaseRow,
    Point,
    QuestionAggregate,
    ReflectionFigure,
    Reflections,
    RunReport,
    TeamRating,
    TextAnswer,
    TextGroup,
    Timeline,
)

UTC = dt.UTC
DAY1, DAY2 = dt.date(2026, 6, 1), dt.date(2026, 6, 2)

PL, RO, BG = "Straż Graniczna", "Poliția de Frontieră", "Гранична полиция"
OBJ_PL = "Identyfikacja ofiar handlu ludźmi"
OBJ_RO = "Cooperare și schimb de informații în țară"
OBJ_BG = "Защита на пострадалите"
FACILITATOR, AUTHOR, CONTACT, WRITER = "Zofia Wiśniewska", "Ștefan Țurcanu", "Иван Петров", "Gheorghe Năstase"
NAMES = (FACILITATOR, AUTHOR, CONTACT, WRITER)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def run_report(*, shareable: bool = False, observations: int = 3) -> RunReport:
    """Known figures: 17 messages, median first reply 4:30, slowest 12:05; PL objective average 3.67 (2–5)."""
    ratings = [5, 4, 2]
    obs = tuple(
        Observation(
            team=PL if i % 2 else RO,
            rating=ratings[i % 3],
            text=f"Obserwacja nr {i + 1}: zgłoszenie ofiary",
            author=AUTHOR,
            observed_at=at(DAY1, 10, i % 60),
        )
        for i in range(observations)
    )
    return RunReport(
        overview=Overview(
            course="Przeciwdziałanie handlowi ludźmi",
            cohort="Kohorta Kraków 2026",
            exercise="Ćwiczenie graniczne „Wisła”",
            run="Przebieg 1",
            starts=at(DAY1, 9),
            ends=at(DAY2, 12),
            delivery_mode="Stacjonarnie",
            facilitators=(FACILITATOR,),
            agencies=(
                AgencyRow(PL, "Border guard", "Zespół A", 4),
                AgencyRow(RO, "Police", "Echipa B", 3),
                AgencyRow(BG, "NGO", "Екип В", 5),
            ),
        ),
        generated_at=at(DAY2, 15, 30),
        shareable=shareable,
        timeline=Timeline(
            phases=(
                PhaseRow("Odprawa", DAY1, "Dzień 1", at(DAY1, 9), 30, at(DAY1, 9, 5), at(DAY1, 9, 40), 35 * 60),
                PhaseRow("Faza ș ț", DAY1, "Dzień 1", at(DAY1, 10), 120, at(DAY1, 10, 10), at(DAY1, 12, 0), 110 * 60),
                PhaseRow("Дебрифинг", DAY2, "Dzień 2", at(DAY2, 9), 60, at(DAY2, 9), None, None),
            ),
            injects=(
                InjectRow(
                    1,
                    "Podejrzany autokar",
                    "released",
                    at(DAY1, 10, 15),
                    (Acknowledgement(PL, at(DAY1, 10, 17), 120), Acknowledgement(RO, None, None)),
                    first_message_at=at(DAY1, 10, 20),
                    first_message_team=PL,
                ),
                InjectRow(2, "Sesizare anonimă", "skipped", None),
            ),
        ),
        exchange=Exchange(
            parties=(PL, RO, BG),
            counts=((0, 9, 3), (4, 0, 0), (1, 0, 0)),
            total=17,
            median_first_reply_seconds=270,
            slowest_first_reply_seconds=725,
            slowest_pair=(RO, PL),
            received_nothing=(),
            never_answered=(BG,),
        ),
        objectives=(
            ObjectiveResult(
                OBJ_PL,
                observations=obs,
                teams=(TeamRating(PL, 1, 4.0), TeamRating(RO, 2, 3.5)),
                average=11 / 3,
                minimum=2,
                maximum=5,
                std_dev=1.25,
                reflections=(ReflectionFigure("Jak pewnie rozpoznajesz ofiarę?", 4.2, 8),),
            ),
            ObjectiveResult(OBJ_RO, reflections_hidden=True),
            ObjectiveResult(
                OBJ_BG,
                average=3.0,
                minimum=3,
                maximum=3,
                teams=(TeamRating(BG, 1, 3.0),),
                observations=(Observation(BG, 3, "Добра координация", AUTHOR),),
            ),
        ),
        strengths=(Point("Szybka wymiana informacji", PL, OBJ_PL),),
        improvements=(Point("Lipsa unui punct de contact național", RO, OBJ_RO),),
        reflections=Reflections(
            respondents=8,
            members=12,
            min_respondents=5,
            anonymous=False,
            shown=True,
            questions=(
                QuestionAggregate(
                    "Jak pewnie rozpoznajesz ofiarę?",
                    "scale",
                    OBJ_PL,
                    8,
                    tuple(Bar(str(i), c, round(100 * c / 8)) for i, c in enumerate((0, 1, 1, 3, 3), 1)),
                    mean=4.2,
                ),
            ),
            texts=(
                TextGroup(OBJ_PL, (TextAnswer("Więcej ćwiczeń z tłumaczem", WRITER), TextAnswer("Mai multă practică"))),
            ),
        ),
        actions=(
            ImprovementRow("Punct de contact", "Wyznaczyć osobę kontaktową", RO, CONTACT, dt.date(2026, 9, 1), "open"),
        ),
    )


def shareable_report() -> RunReport:
    """The same run marked shareable, with the names still in it: the renderer must leave them out."""
    return run_report(shareable=True)


def empty_report() -> RunReport:
    """A run that never started: no phases played, no messages, no reflections, problems listed."""
    report = run_report()
    return replace(
        report,
        overview=replace(report.overview, starts=None, ends=None, facilitators=(), agencies=()),
        timeline=Timeline(phases=(PhaseRow("Odprawa", None, "", None, 30, None, None, None),)),
        exchange=Exchange(),
        objectives=(),
        strengths=(),
        improvements=(),
        reflections=Reflections(),
        actions=(),
        problems=("Przebieg nigdy się nie rozpoczął.", "Faza „Дебрифинг” nie została zakończona.", "Brak refleksji."),
    )
