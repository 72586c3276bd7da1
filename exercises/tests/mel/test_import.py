"""Importing a master events list (exercises/services/mel.py) and exporting one (exercises/mel/export.py):
a new exercise or a new plan, every wrong cell reported, nothing half-saved."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.tabular import TabularError
from exercises import services
from exercises.mel.export import mel_export
from exercises.mel.format import COLUMNS, MelImportError
from exercises.models import Exercise, Inject, Phase, TeamRole
from exercises.tests.mel.files import GOOD, mel_csv
from trainings.tests.factories import CohortFactory, LearningObjectiveFactory

pytestmark = pytest.mark.django_db


def snapshot(exercise: Exercise) -> dict:
    """Every field of the exercise and of every phase, team role and inject, by number."""
    exercise.refresh_from_db()
    fields = [*(f for f in services.EXERCISE_FIELDS if f != "slug")]
    return {
        "exercise": {f: getattr(exercise, f) for f in fields}
        | {"objectives": sorted(o.code for o in exercise.learning_objectives.all())},
        "phases": [
            (p.order, p.name, p.kind, p.planned_minutes, p.instructions) for p in exercise.phases.order_by("order")
        ],
        "team_roles": [
            (r.number, r.name, r.agency_kind, r.briefing, r.tasks) for r in exercise.team_roles.order_by("number")
        ],
        "injects": [
            (
                i.number,
                i.title,
                i.body,
                i.kind,
                i.channel,
                i.sender,
                i.phase.order if i.phase else None,
                i.minute_offset,
                sorted(r.number for r in i.target_roles.all()),
                i.expected_actions,
                sorted(o.code for o in i.learning_objectives.all()),
                i.depends_on.number if i.depends_on else None,
            )
            for i in exercise.injects.order_by("number")
        ],
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_exercise_back(exercise, fmt):
    content = mel_export(exercise=exercise, fmt=fmt)
    result = services.exercise_mel_import(content=content, filename=f"mel.{fmt}")
    assert result.created
    copy = result.exercise
    assert copy.pk != exercise.pk
    assert copy.slug != exercise.slug
    assert (result.phases, result.team_roles, result.injects) == (4, 3, 4)
    assert snapshot(copy) == snapshot(exercise)
    assert any("slug" in w for w in result.warnings)


def test_exported_formula_looking_text_is_neutralised(exercise):
    rows = list(csv.reader(io.StringIO(mel_export(exercise=exercise, fmt="csv").decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert "'=SUM(A1:A9)" in cells
    assert "=SUM(A1:A9)" not in cells
    assert "'-5 minutes later" in cells
    assert "'+48 22 123 45 67" in cells
    workbook = load_workbook(io.BytesIO(mel_export(exercise=exercise, fmt="xlsx")))
    values = {c.value for row in workbook.active.iter_rows() for c in row}
    assert "'=SUM(A1:A9)" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_export_lists_the_exercise_then_phases_teams_and_injects(exercise):
    rows = list(csv.DictReader(io.StringIO(mel_export(exercise=exercise, fmt="csv").decode("utf-8-sig"))))
    assert [r["Record"] for r in rows] == ["exercise"] + ["phase"] * 4 + ["team"] * 3 + ["inject"] * 4
    first = rows[8]
    assert first["Number"] == "1"
    assert first["Phase"] == "Crisis phase"
    assert first["Minute offset"] == "5"
    assert first["Target teams"] == "1;2"
    assert first["Objectives"] == "identify;cooperate"
    assert rows[10]["Depends on"] == "1"


def test_a_spreadsheet_in_planners_words_imports(objectives):
    result = services.exercise_mel_import(content=mel_csv(GOOD), filename="plan.csv")
    exercise = result.exercise
    assert (exercise.name, exercise.kind, exercise.planned_minutes) == ("From a spreadsheet", "simulation", 60)
    call, mail = exercise.injects.order_by("number")
    assert (call.phase.name, call.channel, call.minute_offset) == ("Crisis", "phone", 10)
    assert sorted(call.target_roles.values_list("number", flat=True)) == [1, 2]
    assert list(call.learning_objectives.values_list("code", flat=True)) == ["identify"]
    assert mail.phase.name == "Crisis"
    assert mail.depends_on == call
    assert exercise.team_roles.get(number=2).agency_kind == "ngo"


@pytest.mark.parametrize(
    ("delimiter", "bom", "encoding"),
    [(";", True, "utf-8"), (";", False, "utf-8"), (",", False, "utf-8"), ("\t", False, "utf-16")],
)
def test_delimiters_bom_and_encodings_are_understood(objectives, delimiter, bom, encoding):
    content = mel_csv(GOOD, delimiter=delimiter, bom=bom, encoding=encoding)
    assert services.exercise_mel_import(content=content, filename="plan.csv").injects == 2


def test_every_wrong_cell_is_reported_and_nothing_is_saved(objectives):
    rows = [dict(row) for row in GOOD]
    rows[5] |= {"phase": "Crisis phse", "target_teams": "1;7", "objectives": "identify;nonsense"}
    rows[6] |= {"minute_offset": "45", "depends_on": "9"}
    rows.append({"record": "observer", "number": "1"})
    rows.append({"record": "inject", "number": "x", "title": "Bad number", "message": "m", "kind": "storm"})
    before = (Exercise.objects.count(), Phase.objects.count(), TeamRole.objects.count(), Inject.objects.count())
    with pytest.raises(MelImportError) as excinfo:
        services.exercise_mel_import(content=mel_csv(rows), filename="plan.csv")
    after = (Exercise.objects.count(), Phase.objects.count(), TeamRole.objects.count(), Inject.objects.count())
    assert after == before
    found = {(e.line, e.column): e.message for e in excinfo.value.errors}
    # The header is line 1: the first inject is on line 7.
    assert found[(7, "phase")] == "No phase is named “Crisis phse”."
    assert found[(7, "target_teams")] == "There is no team number 7."
    assert found[(7, "objectives")].startswith("Unknown objective code: “nonsense”.")
    assert found[(8, "minute_offset")] == "The offset must fall inside the phase “Crisis”: 0 to 44 minutes."
    assert found[(8, "depends_on")] == "There is no inject number 9."
    assert found[(9, "record")].startswith("Unknown record “observer”")
    assert found[(10, "number")] == "Write a whole number, not “x”."
    assert found[(10, "kind")].startswith("Unknown value “storm”; use one of: new_information")
    # In the order of the file, and readable on their own.
    lines = [e.line or 0 for e in excinfo.value.errors]
    assert lines == sorted(lines)
    assert str(excinfo.value.errors[0]).startswith("line 7, column “Phase”")


def test_numbering_gaps_and_a_missing_exercise_row_are_file_level_errors():
    rows = [row for row in GOOD if row["record"] != "exercise"]
    rows[1] = rows[1] | {"number": "3"}
    with pytest.raises(MelImportError) as excinfo:
        services.exercise_mel_import(content=mel_csv(rows), filename="plan.csv")
    messages = {(e.line, e.column, e.message) for e in excinfo.value.errors}
    assert (None, "record", "The file needs one exercise row (Record “exercise”).") in messages
    assert (None, "number", "Phases must be numbered 1 to 2 without gaps; missing: 2.") in messages


def test_replacing_a_plan_keeps_what_runs_use(exercise):
    run = services.exercise_run_create(exercise=exercise, cohort=CohortFactory())
    teams_before = dict(run.teams.values_list("team_role__number", "pk"))
    police = exercise.team_roles.get(number=1)
    rows = list(csv.DictReader(io.StringIO(mel_export(exercise=exercise, fmt="csv").decode("utf-8-sig"))))
    rows = [r for r in rows if not (r["Record"] == "inject" and r["Number"] == "4")]
    for row in rows:
        if row["Record"] == "team" and row["Number"] == "1":
            row["Name"] = "Police (regional)"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[h for _k, h in COLUMNS])
    writer.writeheader()
    writer.writerows(rows)

    result = services.exercise_mel_import(content=buffer.getvalue().encode(), filename="p.csv", exercise=exercise)

    assert not result.created
    assert result.exercise == exercise
    assert any("exercise row was not applied" in w for w in result.warnings)
    police.refresh_from_db()
    assert police.name == "Police (regional)"  # the same row, renamed
    assert dict(run.teams.values_list("team_role__number", "pk")) == teams_before
    assert list(exercise.injects.values_list("number", flat=True)) == [1, 2, 3]


def test_replacing_refuses_to_drop_a_team_that_plays(exercise):
    services.exercise_run_create(exercise=exercise, cohort=CohortFactory())
    rows = list(GOOD)  # two teams only: team 3 would go
    with pytest.raises(MelImportError) as excinfo:
        services.exercise_mel_import(content=mel_csv(rows), filename="p.csv", exercise=exercise)
    assert any("Team 3: NGO plays in a run" in e.message for e in excinfo.value.errors)
    assert exercise.team_roles.count() == 3


def test_the_import_service_reports_the_uploads_real_size(settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(TabularError, match=r"The file is 4\.9 KB; the limit is 100 bytes\."):
        services.exercise_mel_import(content=mel_csv(GOOD)[:101], filename="p.csv", size=5000)


def test_the_readme_example_imports(settings):
    """The format's documentation stays true: its example is a file that imports."""
    LearningObjectiveFactory(code="identify")
    readme = (settings.BASE_DIR / "README.md").read_text()
    example = readme.split("## Master events list format", 1)[1].split("```csv\n", 1)[1].split("```", 1)[0]
    result = services.exercise_mel_import(content=example.encode(), filename="example.csv")
    exercise = result.exercise
    assert (exercise.name, exercise.planned_minutes) == ("Recognising victims", 90)
    escape = exercise.injects.get(number=2)
    assert escape.depends_on.number == 1
    assert escape.phase.kind == "crisis"
