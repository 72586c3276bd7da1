"""What each row would do: a new person or an update, a place or the waiting list, from the facts given."""

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from participants.models import Enrolment
from participants.roster.rows import (
    PROFILE_COLUMNS,
    Person,
    PersonAction,
    PlaceAction,
    RosterFacts,
    RosterPreview,
    RosterRow,
)


def _person_changes(row: RosterRow, person: Person) -> list[str]:
    def stored(value: Any) -> Any:
        return getattr(value, "pk", value)

    return [key for key in PROFILE_COLUMNS if key in row.profile and stored(row.profile[key]) != person.values.get(key)]


def _staff_refusal(*, in_cohort: bool) -> str:
    if in_cohort:
        return _(
            "This address belongs to a member of staff, who is already in the cohort: an import does not change "
            "staff. Leave the row as it was exported, or delete it."
        )
    return _("This address belongs to a member of staff; enrol staff by hand.")


def roster_preview_build(
    *,
    rows: list[RosterRow],
    facts: RosterFacts,
    waitlist_rest: bool,
    status: str = Enrolment.Status.INVITED,
    ignored: Collection[str] = (),
) -> RosterPreview:
    """What importing ``rows`` would do, row by row, with every row's problems (the rows are completed).

    Rows that need a place take the free places in file order (after the people already waiting);
    the rest go on the waiting list with ``waitlist_rest``, and are errors without it. A member of
    staff's row is an error unless it changes nothing about someone already in the cohort, and so
    is the row of someone who would take a place while another cohort of theirs meets at the same
    time (someone who would only wait is checked when they move up).
    """
    preview = RosterPreview(
        rows=rows,
        waitlist_rest=waitlist_rest,
        status=status,
        capacity=facts.capacity,
        places_taken=facts.places_taken,
        waiting=facts.waiting,
        ignored_columns=list(ignored),
    )
    newcomers = 0
    for row in rows:
        person = facts.people.get(row.email) if row.email else None
        if person is None:
            row.person = PersonAction.NEW
        else:
            row.user_id, row.participant_id = person.user_id, person.participant_id
            if person.participant_id is None:
                row.person = PersonAction.PROFILE
            else:
                row.changes = _person_changes(row, person)
                row.person = PersonAction.UPDATE if row.changes else PersonAction.UNCHANGED
            if person.is_staff and not (person.status and row.person == PersonAction.UNCHANGED):
                row.error("email", _staff_refusal(in_cohort=bool(person.status)))
        if person is not None and person.status:
            row.place, row.current_status = PlaceAction.ALREADY, person.status
            continue
        if not row.ok:
            continue  # a row in error takes no place, so that the rows after it are counted right
        clashes = facts.clashes.get(row.participant_id) if row.participant_id is not None else None
        if newcomers < preview.free_places and clashes:
            for message in clashes:
                row.error("schedule", message)
            continue  # nor does a row that cannot attend
        newcomers += 1
        if newcomers <= preview.free_places:
            row.place = PlaceAction.ENROL
        elif waitlist_rest:
            row.place = PlaceAction.WAITLIST
        else:
            row.error(
                "capacity",
                _(
                    "Over capacity: %(free)d of the cohort's %(capacity)d places are free, and this is new person "
                    "number %(number)d. Tick “put the rest on the waiting list”, or raise the capacity."
                )
                % {"free": preview.free_places, "capacity": facts.capacity, "number": newcomers},
            )
    return preview
