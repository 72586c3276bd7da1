"""Questions as CSV/XLSX (reflections.services.transfer): export, import, errors per cell, all or nothing."""

import pytest

from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory
from core.exceptions import ApplicationError
from core.tabular import TabularError, table_read
from reflections import services
from reflections.models import Question
from reflections.tests.factories import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import LearningObjectiveFactory

pytestmark = pytest.mark.django_db

HEADER = "order,kind,text,help_text,required,objective,scale_points,low_label,high_label,choices,text_pl,choices_pl\n"


def _questions(questionnaire):
    return [
        (
            q.order,
            q.kind,
            q.text,
            q.help_text,
            q.required,
            q.objective_id,
            q.scale_max,
            q.low_label,
            q.high_label,
            q.translations,
            [(c.key, c.label, c.translations) for c in q.choices.all()],
        )
        for q in Question.objects.filter(questionnaire=questionnaire).prefetch_related("choices").order_by("order")
    ]


def _import(questionnaire, text, *, by=None, filename="questions.csv", replace=False):
    content = text.encode() if isinstance(text, str) else text
    return services.questions_import(
        questionnaire=questionnaire, by=by or CoordinatorFactory(), content=content, filename=filename, replace=replace
    )


def _rich_questionnaire():
    objective = LearningObjectiveFactory(code="cooperation")
    questionnaire = QuestionnaireFactory()
    QuestionFactory(questionnaire=questionnaire, order=1, kind="section", text="Part one")
    QuestionFactory(
        questionnaire=questionnaire,
        order=2,
        kind="scale",
        scale_max=7,
        text="How confident are you?",
        low_label="Not at all",
        high_label="Very",
        required=True,
        objective=objective,
        translations={"pl": {"text": "Jak pewnie?", "low_label": "Wcale"}},
    )
    single = QuestionFactory(questionnaire=questionnaire, order=3, kind="single", text="Role, = | tricky")
    ChoiceFactory(question=single, order=1, key="police", label="Police", translations={"pl": "Policja"})
    ChoiceFactory(question=single, order=2, key="ngo", label="NGO")
    QuestionFactory(questionnaire=questionnaire, order=4, kind="text", text="=SUM(A1)", help_text="Line one\nline two")
    QuestionFactory(questionnaire=questionnaire, order=5, kind="yes_no", text="Again?")
    return questionnaire


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_questions_import_into_an_empty_questionnaire_as_they_were(fmt):
    source = _rich_questionnaire()
    content = services.questions_export(questionnaire=source, fmt=fmt, delimiter=";")
    target = QuestionnaireFactory()
    _import(target, content, filename=f"questions.{fmt}")
    assert _questions(target) == _questions(source)


def test_the_export_uses_the_delimiter_and_one_row_per_question_with_translation_columns():
    source = _rich_questionnaire()
    content = services.questions_export(questionnaire=source, fmt="csv", delimiter=";")
    first_line = content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("order;kind;text;help_text;required;objective;scale_points;")
    table = table_read(content=content, filename="q.csv", multiline=("help_text",))
    assert [row.get("kind") for row in table.rows] == ["section", "scale", "single", "text", "yes_no"]
    assert table.rows[1].get("text_pl") == "Jak pewnie?"
    assert table.rows[2].get("choices") == "police=Police | ngo=NGO"
    assert table.rows[2].get("choices_pl") == "police=Policja"
    assert "text_en" not in table.headers  # the questionnaire's own language has no translation column


def test_every_refused_cell_is_named_and_nothing_is_written():
    questionnaire = QuestionnaireFactory()
    QuestionFactory(questionnaire=questionnaire, order=1, text="Kept")
    before = _questions(questionnaire)
    text = HEADER + (
        "1,essay,Tell us,,yes,,,,,,,\n"
        "2,scale,How?,,maybe,unknown-code,6,,,,,\n"
        "x,single,Pick,,no,,,,,only=Only,,\n"
        "4,text,Fine,,no,,,,,,Dobrze,\n"
        "5,single,Pick two,,no,,,,,a=A|b=B,,zz=Z\n"
    )
    with pytest.raises(services.QuestionImportError) as error:
        _import(questionnaire, text)
    cells = {(c.line, c.column) for c in error.value.cells}
    assert cells == {
        (2, "kind"),
        (3, "required"),
        (3, "objective"),
        (3, "scale_points"),
        (4, "order"),
        (6, "choices"),
    }
    assert _questions(questionnaire) == before


def test_a_single_choice_question_with_one_choice_is_refused_at_its_cell():
    questionnaire = QuestionnaireFactory()
    with pytest.raises(services.QuestionImportError) as error:
        _import(questionnaire, HEADER + "1,single,Pick,,no,,,,,only=Only,,\n")
    assert [(c.line, c.column) for c in error.value.cells] == [(2, "choices")]
    assert not questionnaire.questions.exists()


def test_imported_questions_follow_the_existing_ones_or_replace_them():
    by = CoordinatorFactory()
    questionnaire = QuestionnaireFactory()
    QuestionFactory(questionnaire=questionnaire, order=1, text="First")
    _import(questionnaire, HEADER + "2,yes_no,Later?,,no,,,,,,,\n1,text,Sooner?,,yes,,,,,,Wcześniej?,\n", by=by)
    assert list(questionnaire.questions.order_by("order").values_list("text", "order")) == [
        ("First", 1),
        ("Sooner?", 2),
        ("Later?", 3),
    ]
    assert questionnaire.questions.get(text="Sooner?").translations == {"pl": {"text": "Wcześniej?"}}
    _import(questionnaire, HEADER + "1,text,Only,,no,,,,,,,\n", by=by, replace=True)
    assert list(questionnaire.questions.values_list("text", flat=True)) == ["Only"]


def test_unreadable_files_and_strangers_are_refused():
    questionnaire = QuestionnaireFactory(created_by=FacilitatorFactory())
    with pytest.raises(TabularError):
        _import(questionnaire, b"", by=questionnaire.created_by)
    with pytest.raises(TabularError):
        _import(questionnaire, b"kind,text\ntext,Why?\n", by=questionnaire.created_by, filename="q.pdf")
    with pytest.raises(ApplicationError):
        _import(questionnaire, "kind,text\ntext,Why?\n", by=FacilitatorFactory())
    assert not questionnaire.questions.exists()
    _import(questionnaire, "kind,text\ntext,Why?\n", by=questionnaire.created_by)
    assert questionnaire.questions.get().text == "Why?"
