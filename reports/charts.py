"""The debrief report's charts, drawn with ``reportlab.graphics``: plain values in, a ``Drawing`` out.

No ORM and no gettext: the caller passes every word already translated. Every string is drawn in the
certificates' DejaVu fonts (``core.pdf``); reportlab's charts default to Helvetica, which is Latin-1
only, so ``fontName`` is set on every label. Labels too long for their room are cut with an ellipsis.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from core.pdf import BOLD, REGULAR, nfc

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#777777")
GRID = colors.HexColor("#DDDDDD")
PLANNED = colors.HexColor("#B8C7DD")
ACTUAL = colors.HexColor("#1F4E8C")
OPEN = colors.HexColor("#C0392B")
PALETTE = [colors.HexColor(c) for c in ("#1F4E8C", "#E08E0B", "#2E8B57", "#8E44AD", "#C0392B", "#16A085", "#7F8C8D")]


def fit(text: str, width: float, *, font: str = REGULAR, size: float = 7) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    text = nfc(text)[:200]  # no label of a chart is wider than 200 characters: cut before measuring
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _string(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 7,
    bold: bool = False,
    fillColor: colors.Color = INK,
    **kwargs: object,
) -> String:
    return String(x, y, nfc(text), fontName=BOLD if bold else REGULAR, fontSize=size, fillColor=fillColor, **kwargs)


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose renderer starts in DejaVu (it would set Helvetica first, embedding it)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    return drawing


def _empty(width: float, message: str) -> Drawing:
    drawing = _drawing(width, 24)
    drawing.add(_string(0, 8, message, size=8, fillColor=MUTED))
    return drawing


# --- Gantt: phases planned against actual, one lane per day ------------------------------------------


@dataclass(frozen=True)
class GanttBar:
    """One phase on one day. Times are hours since that day's midnight (9.5 is 09:30)."""

    label: str
    planned: tuple[float, float] | None = None
    actual_start: float | None = None
    actual_end: float | None = None  # None with a start: the phase never ended (drawn open, in red)


@dataclass(frozen=True)
class GanttLane:
    label: str  # the day, already formatted
    bars: Sequence[GanttBar] = field(default_factory=tuple)


@dataclass(frozen=True)
class GanttWords:
    planned: str
    actual: str
    not_ended: str
    no_data: str


def gantt_pages(lanes: Sequence[GanttLane], *, rows: int = 40) -> list[list[GanttLane]]:
    """The lanes in groups of at most ``rows`` phases, a long lane cut into parts: a drawing cannot split
    across pages, so each group becomes its own chart."""
    groups: list[list[GanttLane]] = [[]]
    used = 0
    for lane in lanes:
        bars = list(lane.bars)
        for start in range(0, max(len(bars), 1), rows):
            part = GanttLane(lane.label, tuple(bars[start : start + rows]))
            if used and used + len(part.bars) > rows:
                groups.append([])
                used = 0
            groups[-1].append(part)
            used += len(part.bars)
    return [group for group in groups if group]


def gantt(lanes: Sequence[GanttLane], *, words: GanttWords, width: float = 480) -> Drawing:
    """Each day a lane, each phase a row in it: a pale planned bar, a dark actual bar over it."""
    lanes = [lane for lane in lanes if lane.bars]
    if not lanes:
        return _empty(width, words.no_data)
    times = [
        t
        for lane in lanes
        for bar in lane.bars
        for t in ((bar.planned or ()) + (bar.actual_start, bar.actual_end))
        if t is not None
    ]
    if not times:  # phases without a planned or a played time: nothing to place on an axis
        return _empty(width, words.no_data)
    start, end = math.floor(min(times)), math.ceil(max(times))
    end = max(end, start + 1)
    label_w, row_h, lane_gap, axis_h, legend_h = 120.0, 11.0, 14.0, 14.0, 14.0
    rows = sum(len(lane.bars) for lane in lanes)
    height = legend_h + axis_h + rows * row_h + len(lanes) * lane_gap + 4
    drawing = _drawing(width, height)
    plot_x, plot_w = label_w, width - label_w - 4
    scale = plot_w / (end - start)

    def x_of(hours: float) -> float:
        return plot_x + (min(max(hours, start), end) - start) * scale

    # Legend and hour axis at the top.
    y = height - 9
    for i, (colour, text) in enumerate(((PLANNED, words.planned), (ACTUAL, words.actual), (OPEN, words.not_ended))):
        x = plot_x + i * 110
        drawing.add(Rect(x, y - 1, 10, 6, fillColor=colour, strokeColor=None))
        drawing.add(_string(x + 13, y, fit(text, 95)))
    y -= axis_h
    step = 1 if end - start <= 12 else 2
    top, bottom = y, 2.0
    for hour in range(start, end + 1, step):
        x = x_of(hour)
        drawing.add(Line(x, top - 3, x, bottom, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(_string(x, top, f"{hour % 24:02d}:00", size=6, textAnchor="middle"))
    y = top - 6
    for lane in lanes:
        drawing.add(_string(0, y - 9, fit(lane.label, label_w - 4), size=7.5, bold=True))
        y -= lane_gap
        for bar in lane.bars:
            drawing.add(_string(8, y - row_h + 3, fit(bar.label, label_w - 12)))
            if bar.planned is not None:
                x0, x1 = x_of(bar.planned[0]), x_of(bar.planned[1])
                drawing.add(Rect(x0, y - row_h + 1, max(x1 - x0, 1), row_h - 2, fillColor=PLANNED, strokeColor=None))
            if bar.actual_start is not None:
                x0 = x_of(bar.actual_start)
                ended = bar.actual_end is not None
                x1 = x_of(bar.actual_end if bar.actual_end is not None else end)
                drawing.add(
                    Rect(
                        x0,
                        y - row_h + 3,
                        max(x1 - x0, 1),
                        row_h - 6,
                        fillColor=ACTUAL if ended else OPEN,
                        strokeColor=None,
                    )
                )
            y -= row_h
    return drawing


# --- Network of the teams: who informed whom ---------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    source: int  # index into the nodes
    target: int
    count: int


def network(nodes: Sequence[str], edges: Sequence[Edge], *, no_data: str, width: float = 480) -> Drawing:
    """Teams on a circle; an arrow from sender to receiver, as wide as the messages it carries.

    Two teams writing to each other get two arrows, each shifted to its own side of the line between them.
    """
    edges = [e for e in edges if e.count > 0 and e.source != e.target and 0 <= e.source < len(nodes) > e.target >= 0]
    if not nodes:
        return _empty(width, no_data)
    height = min(width, 320.0)
    drawing = _drawing(width, height)
    cx, cy = width / 2, height / 2
    radius = height / 2 - 34
    n = len(nodes)
    points = [
        (
            cx + radius * math.cos(math.pi / 2 - 2 * math.pi * i / n),
            cy + radius * math.sin(math.pi / 2 - 2 * math.pi * i / n),
        )
        for i in range(n)
    ]
    node_r = 7.0
    heaviest = max((e.count for e in edges), default=1)
    for edge in sorted(edges, key=lambda e: (e.source, e.target)):
        (x0, y0), (x1, y1) = points[edge.source], points[edge.target]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        px, py = -uy * 3, ux * 3  # to the sender's right
        stroke = 0.6 + 4.4 * edge.count / heaviest
        sx, sy = x0 + ux * node_r + px, y0 + uy * node_r + py
        tip_x, tip_y = x1 - ux * (node_r + 1) + px, y1 - uy * (node_r + 1) + py
        head = 5 + stroke
        bx, by = tip_x - ux * head, tip_y - uy * head
        colour = PALETTE[edge.source % len(PALETTE)]
        drawing.add(Line(sx, sy, bx, by, strokeColor=colour, strokeWidth=stroke))
        wing = head * 0.5
        drawing.add(
            Polygon(
                [tip_x, tip_y, bx - uy * wing, by + ux * wing, bx + uy * wing, by - ux * wing],
                fillColor=colour,
                strokeColor=None,
            )
        )
        mid_x, mid_y = (sx + bx) / 2 + px * 2, (sy + by) / 2 + py * 2
        drawing.add(_string(mid_x, mid_y - 2, str(edge.count), size=6.5, textAnchor="middle", fillColor=colour))
    for i, (label, (x, y)) in enumerate(zip(nodes, points, strict=True)):
        drawing.add(
            Rect(
                x - node_r,
                y - node_r,
                2 * node_r,
                2 * node_r,
                rx=node_r,
                ry=node_r,
                fillColor=PALETTE[i % len(PALETTE)],
            )
        )
        drawing.add(_string(x, y - 2.5, str(i + 1), size=7, bold=True, textAnchor="middle", fillColor=colors.white))
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        offset = 0 if anchor == "middle" else (node_r + 3 if x > cx else -node_r - 3)
        dy = (node_r + 3 if y > cy else -node_r - 9) if anchor == "middle" else -2.5
        room = width / 2 - abs(x - cx) - node_r - 6 if anchor != "middle" else width / 2
        drawing.add(_string(x + offset, y + dy, fit(label, max(room, 40)), size=7, textAnchor=anchor))
    return drawing


# --- Ratings per objective: average with its spread ---------------------------------------------------


@dataclass(frozen=True)
class RatingBar:
    label: str
    average: float | None
    low: float | None = None  # the spread's whisker, e.g. minimum or average - deviation
    high: float | None = None
    count: int = 0


def rating_bars(
    items: Sequence[RatingBar],
    *,
    scale_max: float,
    no_data: str,
    width: float = 480,
    scale_min: float = 0,
    decimal: str = ".",
) -> Drawing:
    """Horizontal bars of the average rating, with a whisker over the spread and the count at the end."""
    if not items:
        return _empty(width, no_data)
    label_w, row_h, axis_h = 170.0, 16.0, 14.0
    height = axis_h + row_h * len(items) + 4
    drawing = _drawing(width, height)
    plot_x, plot_w = label_w, width - label_w - 40
    span = (scale_max - scale_min) or 1

    def x_of(value: float) -> float:
        return plot_x + (min(max(value, scale_min), scale_max) - scale_min) / span * plot_w

    top = height - axis_h
    for tick in range(math.ceil(scale_min), math.floor(scale_max) + 1):
        x = x_of(tick)
        drawing.add(Line(x, top, x, 2, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(_string(x, top + 4, str(tick), size=6.5, textAnchor="middle"))
    y = top
    for i, item in enumerate(items):
        mid = y - row_h / 2
        drawing.add(_string(0, mid - 2.5, fit(item.label, label_w - 6)))
        if item.average is None:
            drawing.add(_string(plot_x + 2, mid - 2.5, "—", fillColor=MUTED))
        else:
            colour = PALETTE[i % len(PALETTE)]
            drawing.add(
                Rect(plot_x, mid - 4.5, max(x_of(item.average) - plot_x, 0.5), 9, fillColor=colour, strokeColor=None)
            )
            if item.low is not None and item.high is not None:
                x0, x1 = x_of(item.low), x_of(item.high)
                drawing.add(Line(x0, mid, x1, mid, strokeColor=INK, strokeWidth=0.8))
                drawing.add(Line(x0, mid - 3, x0, mid + 3, strokeColor=INK, strokeWidth=0.8))
                drawing.add(Line(x1, mid - 3, x1, mid + 3, strokeColor=INK, strokeWidth=0.8))
            drawing.add(
                _string(
                    plot_x + plot_w + 4,
                    mid - 2.5,
                    f"{item.average:.1f} (n={item.count})".replace(".", decimal),
                    size=6.5,
                )
            )
        y -= row_h
    return drawing


# --- One reflection question: how many gave each answer -----------------------------------------------


def distribution(
    categories: Sequence[str], counts: Sequence[int], *, no_data: str, width: float = 480, height: float = 110
) -> Drawing:
    """A bar per answer option with its count above it (reportlab's bar chart, in DejaVu)."""
    if not categories or not any(counts):
        return _empty(width, no_data)
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 40, height - 34
    chart.data = [list(counts)]
    chart.bars[0].fillColor = ACTUAL
    chart.bars.strokeColor = None
    room = chart.width / max(len(categories), 1) - 4
    chart.categoryAxis.categoryNames = [fit(c, room, size=6.5) for c in categories]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    top = max(counts)
    chart.valueAxis.valueMax = top + 1
    chart.valueAxis.valueStep = max(1, math.ceil((top + 1) / 5))
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing
