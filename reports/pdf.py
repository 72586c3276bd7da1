"""PLACEHOLDER renderer of the run report's PDF: the designed one (title page, contents, charts) is the
f-reppdf branch's and replaces this module at integration. Same signature: data in, bytes out, no ORM.

This one lists the sections as text, in the certificates' fonts, with page numbers, a "restricted"
footer and PDF metadata, so the job, the shareable link and the tests work before the real one lands.
"""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _

from reports.data import RunReport
from reports.text_pdf import lines_pdf
from reports.text_pdf import minutes as _minutes


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _lines(report: RunReport) -> Iterator[tuple[str, bool]]:
    """(text, heading) pairs in reading order."""
    o = report.overview
    yield o.title, True
    yield f"{o.course} · {o.cohort} · {o.delivery_mode}", False
    yield _("Facilitators: %(names)s") % {"names": ", ".join(o.facilitators) or "–"}, False
    for team in o.teams:
        yield f"{team.label} ({team.agency}): {team.people}", False
    for agency in o.agencies:
        yield f"{agency.name}: {agency.people}", False
    if report.problems:
        yield _("Problems in the data"), True
        for problem in report.problems:
            yield problem, False
    yield _("Timeline"), True
    for phase in report.timeline.phases:
        yield f"{phase.name}: {_minutes(phase.planned_seconds)} / {_minutes(phase.actual_seconds)}", False
    for inject in report.timeline.injects:
        acks = ", ".join(f"{a.team} {_minutes(a.seconds)}" for a in inject.acks)
        yield f"{inject.number or '–'}. {inject.title} ({inject.status}) {acks}", False
    e = report.exchange
    yield _("Inter-agency information exchange"), True
    yield (
        _("%(messages)s messages, %(deliveries)s deliveries, %(replied)s replied")
        % {
            "messages": e.messages,
            "deliveries": e.deliveries,
            "replied": e.replied,
        },
        False,
    )
    yield _("Median first reply: %(time)s") % {"time": _minutes(e.median_first_reply_seconds)}, False
    if e.slowest_first_reply:
        s = e.slowest_first_reply
        yield (
            _("Slowest first reply: %(sender)s → %(recipient)s, %(time)s")
            % {
                "sender": s.sender,
                "recipient": s.recipient,
                "time": _minutes(s.seconds),
            },
            False,
        )
    for edge in e.edges:
        yield f"{edge.sender} → {edge.recipient}: {edge.count}", False
    yield _("Objectives"), True
    for section in report.objectives:
        r = section.ratings
        yield (
            f"{section.label}: n={r.count} mean={_figure(r.mean)} sd={_figure(r.stdev)}",
            False,
        )
    yield _("Strengths"), True
    for finding in report.strengths:
        yield finding.text, False
    yield _("Areas for improvement"), True
    for finding in report.improvements:
        yield finding.text, False
    yield _("Reflections"), True
    for reflection in report.reflections:
        yield f"{reflection.title}: {reflection.respondents}/{reflection.members}", False
        for group in reflection.texts:
            for answer in group.answers:
                yield f"“{answer}”", False
    yield _("Improvement plan"), True
    for action in report.actions:
        yield f"{action.area}: {action.action} ({action.agency}, {action.due or '–'}, {action.status})", False


def render_run_report(report: RunReport, *, labels: Mapping[str, str] | None = None, invariant: bool = False) -> bytes:
    """The report as PDF bytes (``labels`` is accepted for the designed renderer's signature)."""
    return lines_pdf(list(_lines(report)), title=report.overview.title, invariant=invariant)
