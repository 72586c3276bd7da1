"""participants.roster without a database: cells, normalised addresses and names, outcomes from given facts.

No ``django_db`` mark: a query anywhere in here fails the test.
"""

import pytest

from accounts.models import User
from core.tabular import Row, Table, table_read
from participants import roster
from participants.models import Participant
from participants.roster import Person, PersonAction, PlaceAction, RosterFacts
from trainings.models import Agency

BORDER_GUARD = Agency(pk=1, name="Border Guard", country="PL")
POLICE_PL = Agency(pk=2, name="Police", country="PL")
BORDER_POLICE = Agency(pk=3, name="Border Police", country="RO")
LABOUR = Agency(pk=4, name="Labour Inspectorate", country="RO")
AGENCIES = [BORDER_GUARD, POLICE_PL, BORDER_POLICE, LABOUR]


def _rows(*lines: dict[str, str], errors: dict[int, dict[str, str]] | None = None) -> list[roster.RosterRow]:
    table = Table(
        headers=list(roster.COLUMNS),
        rows=[Row(line=n, values=values, errors=(errors or {}).get(n, {})) for n, values in enumerate(lines, start=2)],
    )
    return roster.roster_rows_read(table=table, agencies=AGENCIES)


def _facts(**people: Person) -> RosterFacts:
    return RosterFacts(capacity=10, places_taken=0, waiting=0, people=people)


def test_max_lengths_follow_the_models():
    assert {
        "email": User.email.field.max_length,
        "first_name": User.first_name.field.max_length,
        "last_name": User.last_name.field.max_length,
        "position": Participant.position.field.max_length,
    } == roster.MAX_LENGTHS


# --- look-alike addresses and names (issue 7, item 11) -------------------------------------------


def test_a_full_width_look_alike_address_is_normalised_to_ascii():
    [row] = _rows({"email": "ａｎａ@ｅｘａｍｐｌｅ.ｏｒｇ"})
    assert row.ok
    assert row.email == "ana@example.org"


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("ana@exam\u200bple.org", "ZERO WIDTH SPACE"),
        ("ana@exam\u00adple.org", "SOFT HYPHEN"),
        ("\u202eana@example.org", "RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_invisible_characters_in_an_address_are_refused_and_named(cell, name):
    [row] = _rows({"email": cell})
    assert row.email == ""
    assert list(row.errors) == ["email"]
    assert name in row.errors["email"][0]
    assert "\u200b" not in row.errors["email"][0]  # quoted back visibly


def test_two_spellings_of_one_address_are_one_person_twice_in_the_file():
    first, second = _rows({"email": "ana@example.org"}, {"email": "ＡＮＡ@Example.org"})
    assert first.ok
    assert second.errors == {"email": ["The same email address is already on line 2."]}


def test_names_are_normalised_and_invisible_characters_refused():
    clean, hidden = _rows(
        {"email": "a@example.org", "first_name": "  Ana \t Maria ", "last_name": "Ｐｏｐ"},
        {"email": "b@example.org", "first_name": "Jan\u200b"},
    )
    assert clean.profile["first_name"] == "Ana Maria"
    assert clean.profile["last_name"] == "Pop"
    assert list(hidden.errors) == ["first_name"]
    assert "ZERO WIDTH SPACE" in hidden.errors["first_name"][0]


def test_control_characters_found_by_the_reader_are_the_rows_errors():
    content = b"email,first_name,notes\nana@example.org,An\x07a,ok\nbob@example.org,Bob,be\x07ll\n"
    table = table_read(content=content, filename="r.csv", required=["email"])
    flagged, fine = roster.roster_rows_read(table=table, agencies=[])
    assert list(flagged.errors) == ["first_name"]
    assert "U+0007" in flagged.errors["first_name"][0]
    assert "first_name" not in flagged.profile
    assert fine.ok  # an ignored column's cell is ignored, control characters and all


def test_long_bad_cells_are_cut_when_shown_and_quoted():
    [row] = _rows({"email": "x" * 40_000, "country": "Q" * 30_000, "preferred_language": "z" * 30_000})
    assert len(row.cells["email"]) <= roster.SHOWN_LENGTH
    assert len(row.as_dict()["email"]) <= roster.SHOWN_LENGTH
    assert all(len(message) < 400 for message in row.messages), row.messages


# --- agencies (issue 7, item 26) --------------------------------------------------------------------


def test_an_unknown_agency_offers_close_matches_and_says_how_to_add_one():
    [row] = _rows({"email": "a@example.org", "agency": "Police"})
    # "Police" names one agency exactly: no problem.
    assert row.profile["agency"] == POLICE_PL
    [typo] = _rows({"email": "a@example.org", "agency": "Polise"})
    message = typo.errors["agency"][0]
    assert message.startswith("Unknown agency “Polise”.")
    assert "“Police (PL)”" in message
    assert "/api/v1/agencies/" in message
    [partial] = _rows({"email": "a@example.org", "agency": "Labour"})
    assert "Did you mean “Labour Inspectorate (RO)”?" in partial.errors["agency"][0]
    [nothing] = _rows({"email": "a@example.org", "agency": "Ministry of Silly Walks"})
    assert "Did you mean" not in nothing.errors["agency"][0]


def test_a_suggestion_containing_the_text_comes_first():
    matcher = roster.AgencyMatcher(AGENCIES)
    assert matcher.close_matches("police") == ["Police (PL)", "Border Police (RO)"]


# --- outcomes from facts ------------------------------------------------------------------------------


def test_outcomes_come_from_the_facts_given():
    rows = _rows(
        {"email": "new@example.org", "first_name": "Nora"},
        {"email": "known@example.org", "position": "Chief"},
        {"email": "same@example.org", "agency": "Border Guard"},
        {"email": "visitor@example.org"},
    )
    facts = _facts(
        **{
            "known@example.org": Person(user_id=1, participant_id=11, is_staff=False, values={"position": "Officer"}),
            "same@example.org": Person(
                user_id=2, participant_id=12, is_staff=False, values={"agency": 1}, status="enrolled"
            ),
            "visitor@example.org": Person(user_id=3, participant_id=None, is_staff=False, values={}),
        }
    )
    preview = roster.roster_preview_build(rows=rows, facts=facts, waitlist_rest=False)
    assert [(r.person, r.place) for r in preview.rows] == [
        (PersonAction.NEW, PlaceAction.ENROL),
        (PersonAction.UPDATE, PlaceAction.ENROL),
        (PersonAction.UNCHANGED, PlaceAction.ALREADY),
        (PersonAction.PROFILE, PlaceAction.ENROL),
    ]
    assert preview.rows[1].changes == ["position"]


def test_a_staff_row_that_changes_nothing_about_someone_in_the_cohort_is_accepted():
    """Issue 7, item 24: an export stopped importing back once a member of staff was enrolled."""
    rows = _rows(
        {"email": "trainer@example.org", "first_name": "Maria"},
        {"email": "trainer@example.org".replace("trainer", "renamed"), "first_name": "Other"},
        {"email": "outsider@example.org"},
    )
    staff = {"is_staff": True, "values": {"first_name": "Maria"}}
    facts = _facts(
        **{
            "trainer@example.org": Person(user_id=1, participant_id=11, status="enrolled", **staff),
            "renamed@example.org": Person(user_id=2, participant_id=12, status="enrolled", **staff),
            "outsider@example.org": Person(user_id=3, participant_id=13, **staff),
        }
    )
    unchanged, renamed, outsider = roster.roster_preview_build(rows=rows, facts=facts, waitlist_rest=False).rows
    assert unchanged.ok
    assert (unchanged.person, unchanged.place) == (PersonAction.UNCHANGED, PlaceAction.ALREADY)
    assert "already in the cohort: an import does not change staff" in renamed.errors["email"][0]
    assert outsider.errors == {"email": ["This address belongs to a member of staff; enrol staff by hand."]}
