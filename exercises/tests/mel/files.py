"""Master events list files for the tests: a good one in planners' words, and a way to write others."""

import csv
import io
from types import SimpleNamespace

from exercises.mel.format import COLUMNS, HEADERS
from exercises.mel.parse import ObjectiveCatalogue


def mel_csv(rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = True, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[h for _k, h in COLUMNS], delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow({HEADERS[k]: v for k, v in row.items()})
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def catalogue(*codes: str, retired: tuple[str, ...] = ()) -> ObjectiveCatalogue:
    """Objectives without the database: what the parser needs of them."""
    objectives = [SimpleNamespace(pk=n, code=code, is_active=True) for n, code in enumerate(codes, start=1)]
    objectives += [
        SimpleNamespace(pk=len(codes) + n, code=code, is_active=False) for n, code in enumerate(retired, start=1)
    ]
    return ObjectiveCatalogue(objectives)


GOOD = [
    {"record": "exercise", "name": "From a spreadsheet", "kind": "Simulation", "minutes": "60"},
    {"record": "phase", "number": "1", "name": "Preparation", "kind": "preparation", "minutes": "15"},
    {"record": "phase", "number": "2", "name": "Crisis", "kind": "crisis", "minutes": "45"},
    {"record": "team", "number": "1", "name": "Police", "agency_kind": "police"},
    {"record": "team", "number": "2", "name": "NGO", "agency_kind": "Non-governmental organisation"},
    {
        "record": "inject",
        "number": "1",
        "phase": "crisis",
        "minute_offset": "10",
        "target_teams": "1; 2",
        "channel": "Phone",
        "kind": "new_information",
        "title": "Call",
        "message": "A call comes in.",
        "expected_actions": "Inform team 2.",
        "objectives": "identify",
    },
    {
        "record": "inject",
        "number": "2",
        "phase": "2",
        "minute_offset": "20",
        "target_teams": "",
        "channel": "email",
        "kind": "logistical",
        "title": "Mail",
        "message": "An e-mail.",
        "depends_on": "1",
    },
]
