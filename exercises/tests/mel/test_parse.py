"""Reading a master events list cell by cell (exercises/mel/parse.py): pure, no database."""

import pytest

from core.tabular import TabularError
from exercises.mel.parse import mel_match_ids, mel_parse
from exercises.plans import ExercisePlan
from exercises.tests.mel.files import GOOD, catalogue, mel_csv

CATALOGUE = catalogue("identify", "cooperate")


def test_a_spreadsheet_in_planners_words_reads_into_fields_and_a_plan():
    parsed = mel_parse(content=mel_csv(GOOD), filename="plan.csv", catalogue=CATALOGUE)
    assert parsed.errors == []
    fields = parsed.exercise_fields
    assert (fields["name"], fields["kind"], fields["planned_minutes"]) == ("From a spreadsheet", "simulation", 60)
    plan: ExercisePlan = parsed.plan
    assert [(p.order, p.name, p.kind) for p in plan.phases] == [
        (1, "Preparation", "preparation"),
        (2, "Crisis", "crisis"),
    ]
    assert [r.agency_kind for r in plan.team_roles] == ["police", "ngo"]
    call, mail = plan.injects
    assert (call.phase, call.channel, call.minute_offset, list(call.target_teams)) == (2, "phone", 10, [1, 2])
    assert [o.code for o in call.learning_objectives] == ["identify"]
    assert (mail.phase, mail.depends_on) == (2, 1)
    assert parsed.lines[("injects", 1)] == 8  # the header is line 1


def test_replacing_skips_the_exercise_row_and_rows_keep_their_numbers_identity():
    parsed = mel_parse(content=mel_csv(GOOD), filename="plan.csv", catalogue=CATALOGUE, replacing=True)
    assert parsed.exercise_fields == {}
    assert any("exercise row was not applied" in w for w in parsed.warnings)
    mel_match_ids(parsed, phases={1: 11, 2: 12}, team_roles={2: 22}, injects={1: 31, 9: 39})
    assert [p.id for p in parsed.plan.phases] == [11, 12]
    assert [r.id for r in parsed.plan.team_roles] == [None, 22]
    assert [i.id for i in parsed.plan.injects] == [31, None]


def _parse_errors(rows: list[dict[str, str]]) -> dict[tuple[int | None, str], str]:
    """Each cell's messages, one per line."""
    parsed = mel_parse(content=mel_csv(rows), filename="plan.csv", catalogue=CATALOGUE)
    found: dict[tuple[int | None, str], str] = {}
    for e in parsed.errors:
        found[(e.line, e.column)] = "\n".join(filter(None, [found.get((e.line, e.column)), e.message]))
    return found


def _with(changes: dict[str, str], index: int = 6) -> list[dict[str, str]]:
    """GOOD with the second inject (line 8) changed."""
    rows = [dict(row) for row in GOOD]
    rows[index] |= changes
    return rows


@pytest.mark.parametrize("cell", ["²", "①", "٥", "５", "1_0", "+2", "2.0"])
def test_a_phase_cell_that_only_looks_like_a_number_names_the_cell(cell):
    assert _parse_errors(_with({"phase": cell}))[(8, "phase")] == f"No phase is named “{cell}”."


@pytest.mark.parametrize("cell", ["٥", "５", "1_0", "²", "+5", "5.0", "0x5"])
def test_numbers_are_ascii_digits_only(cell):
    errors = _parse_errors(_with({"minute_offset": cell, "depends_on": cell, "number": cell}))
    for column in ("minute_offset", "depends_on", "number"):
        assert errors[(8, column)] == f"Write a whole number, not “{cell}”."


@pytest.mark.parametrize("cell", ["1;٥", "１", "1_0", "2;²"])
def test_team_numbers_are_ascii_digits_only(cell):
    assert _parse_errors(_with({"target_teams": cell}))[(8, "target_teams")].startswith("Write team numbers")


def test_a_negative_number_is_still_told_its_minimum():
    assert _parse_errors(_with({"minute_offset": "-5"}))[(8, "minute_offset")] == "The number must be at least 0."


def test_control_characters_are_refused_by_cell_and_line_breaks_only_where_text_has_lines():
    errors = _parse_errors(
        _with({"title": "Mail\x07", "sender": "Ops\nroom", "message": "Two\nlines\tand a tab", "kind": "x\x1b[2J"})
    )
    assert errors[(8, "title")] == "The cell contains control characters (U+0007); remove them."
    assert errors[(8, "sender")] == "The cell contains control characters (U+000A); remove them."
    assert errors[(8, "kind")].startswith("The cell contains control characters (U+001B); remove them.\n")
    assert (8, "message") not in errors


def test_long_wrong_cells_are_cut_in_messages():
    long = "storm" * 2000
    rows = _with({"kind": long, "phase": long, "minute_offset": long, "target_teams": long})
    rows.append({"record": long})
    errors = _parse_errors(rows)
    assert errors[(8, "phase")] == f"No phase is named “{long[:79]}…”."
    assert errors[(8, "kind")].startswith(f"Unknown value “{long[:79]}…”")
    assert errors[(9, "record")].startswith(f"Unknown record “{long[:79]}…”")
    assert all(len(message) < 300 for message in errors.values())


def test_a_file_that_cannot_be_read_is_refused_whole(settings):
    def parse(content: bytes, filename: str) -> None:
        mel_parse(content=content, filename=filename, catalogue=CATALOGUE)

    with pytest.raises(TabularError, match="not UTF-8"):
        parse(mel_csv(GOOD, encoding="utf-8")[:3] + "é".encode("latin-1") * 3, "p.csv")
    with pytest.raises(TabularError, match="Missing columns: target_teams"):
        parse(b"record,number,name,kind,minutes,phase,minute_offset\n", "p.csv")
    settings.CONCORD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(TabularError, match=r"The file is 832 bytes; the limit is 100 bytes\."):
        parse(mel_csv(GOOD), "p.csv")
    with pytest.raises(TabularError, match=r"not \.pdf"):
        parse(b"%PDF-1.4", "plan.pdf")


def test_objectives_written_as_words_are_one_error_for_the_cell_listing_the_known_codes():
    """Hardening item 25: four objectives written out gave nine errors, one per word."""
    cell = "Enhance international cooperation; Identify victims; Refer victims; Support victims"
    parsed = mel_parse(
        content=mel_csv(_with({"objectives": cell})),
        filename="plan.csv",
        catalogue=catalogue("identify", "cooperate", retired=("old-code",)),
    )
    errors = [e for e in parsed.errors if e.column == "objectives"]
    assert len(errors) == 1
    message = errors[0].message
    assert errors[0].line == 8
    # Each unknown word once (“Identify” is the code identify, whatever its case).
    assert message.startswith("Unknown objective codes: “Enhance”, “international”, “cooperation”, “victims”, “Refer”")
    assert message.endswith("Write the objectives' codes separated by ';'; the known codes are: identify, cooperate.")
    assert "old-code" not in message  # a retired objective cannot be added


def test_one_unknown_code_among_known_ones_is_named_alone():
    errors = _parse_errors(_with({"objectives": "identify;nonsense;cooperate"}))
    assert errors[(8, "objectives")] == (
        "Unknown objective code: “nonsense”. Write the objectives' codes separated by ';'; "
        "the known codes are: identify, cooperate."
    )
