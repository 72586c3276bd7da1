"""Reads for participants, enrolments and rosters: people's own pages, a cohort's people, roster previews."""

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import Role, User
from accounts.roles import is_coordinator
from core.tabular import Table, table_read
from participants import roster
from participants.conflicts import participants_session_clashes, session_clash_messages
from participants.models import Enrolment, Participant, RosterImport
from trainings import access
from trainings.models import Agency, Cohort

# Staff are never made participants by an address alone (an import, the enrol form's email, the API).
STAFF_ROLES = (Role.COORDINATOR, Role.FACILITATOR)


def participant_enrolment_list(*, user: Any, include_withdrawn: bool = False) -> QuerySet[Enrolment]:
    """The user's own enrolments; by default only those that still give access to their cohort."""
    enrolments = Enrolment.objects.filter(participant__user=user)
    if not include_withdrawn:
        enrolments = enrolments.active()
    return enrolments.select_related("cohort__course").order_by("-cohort__start_date", "cohort__name")


def participant_profile_get(*, user: Any) -> Participant | None:
    """The user's own participant profile."""
    if not user.is_authenticated:
        return None
    return Participant.objects.select_related("user", "agency").filter(user=user).first()


def staff_emails(*, emails: Collection[str]) -> set[str]:
    """Which of these addresses (compared in lower case) belong to staff: coordinators, facilitators,
    or staff and superuser accounts. One query."""
    wanted = {email.strip().lower() for email in emails if email and email.strip()}
    if not wanted:
        return set()
    staff = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=[role.value for role in STAFF_ROLES])
    return set(User.objects.filter(staff, email__in=wanted).values_list("email", flat=True).distinct())


# --- a cohort's people -----------------------------------------------------------------------


def cohort_queryset(*, user: Any, people: bool = False, places: bool = False) -> QuerySet[Cohort]:
    """Cohorts the user may see, to find one for a page or an API call about its people.

    With ``people``, only cohorts whose people the user may see (the rule ``trainings.view_cohort_roster``):
    the others then answer 404 like cohorts the user cannot see at all. With ``places``, each has
    ``places_taken``.
    """
    if people and not access.sees_everything(user):
        cohorts = Cohort.objects.facilitated_by(user)
    else:
        cohorts = Cohort.objects.visible_to(user)
    if places:
        cohorts = cohorts.select_related("course").annotate(
            places_taken=Count("members", filter=Q(members__holds_place=True))
        )
    return cohorts


def cohort_places_taken(*, cohort: Cohort) -> int:
    """The one count of a cohort's taken places; the waiting list builds on it."""
    return Enrolment.objects.filter(cohort=cohort).holding_place().count()


def cohort_roster(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments with their people; callers check ``trainings.view_cohort_roster`` first."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("participant__user", "participant__agency")
        .order_by("participant__user__last_name", "participant__user__first_name", "participant__user__email")
    )


def cohort_waitlist(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's waiting list in its order."""
    return (
        Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.WAITLISTED)
        .select_related("participant__user", "participant__agency")
        .order_by("waitlisted_at", "pk")
    )


# --- rosters -----------------------------------------------------------------------------------


def roster_import_list(*, user: Any, cohort: Cohort | None = None) -> QuerySet[RosterImport]:
    """Roster imports the user may see: the coordinators' (as the rule ``participants.view_rosterimport``)."""
    imports = RosterImport.objects.select_related("cohort", "uploaded_by").defer("content")
    if not is_coordinator(user):
        return imports.none()
    if cohort is not None:
        imports = imports.filter(cohort=cohort)
    return imports.order_by("-created_at", "-pk")


def roster_facts(*, cohort: Cohort, emails: Collection[str]) -> roster.RosterFacts:
    """What a roster preview needs to know about the cohort and these (normalised) addresses.

    A fixed number of queries whatever the number of addresses.
    """
    staff = staff_emails(emails=emails)
    statuses = dict(
        Enrolment.objects.filter(cohort=cohort, participant__user__email__in=emails).values_list(
            "participant__user__email", "status"
        )
    )
    people: dict[str, roster.Person] = {}
    joining: list[int] = []
    fields = ("first_name", "last_name")
    profile = ("agency_id", "position", "country")
    for row in User.objects.filter(email__in=emails).values(
        "pk", "email", *fields, "language", "participant__pk", *(f"participant__{name}" for name in profile)
    ):
        participant_id = row["participant__pk"]
        values = {name: row[name] for name in fields}
        if participant_id is not None:
            values.update({name.removesuffix("_id"): row[f"participant__{name}"] for name in profile})
            values["preferred_language"] = row["language"]  # the account's, under the roster's name
            if row["email"] not in statuses:
                joining.append(participant_id)
        people[row["email"]] = roster.Person(
            user_id=row["pk"],
            participant_id=participant_id,
            is_staff=row["email"] in staff,
            values=values,
            status=statuses.get(row["email"], ""),
        )
    waiting_list = Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.WAITLISTED)
    # People waiting whose other cohort meets at the same time stay waiting: they take no free place.
    stuck = participants_session_clashes(cohort=cohort, participants=waiting_list.values("participant_id"))
    clashes = participants_session_clashes(cohort=cohort, participants=joining)
    return roster.RosterFacts(
        capacity=cohort.capacity,
        places_taken=cohort_places_taken(cohort=cohort),
        waiting=waiting_list.count() - len(stuck),
        people=people,
        clashes={pk: session_clash_messages(cohort=cohort, sessions=sessions) for pk, sessions in clashes.items()},
    )


def roster_agencies() -> list[Agency]:
    return list(Agency.objects.order_by("name", "country"))


def roster_table_read(*, content: bytes, filename: str, size: int | None = None) -> Table:
    return table_read(content=content, filename=filename, required=roster.REQUIRED_COLUMNS, size=size)


def roster_preview(
    *, cohort: Cohort, table: Table, waitlist_rest: bool, status: str = Enrolment.Status.INVITED
) -> roster.RosterPreview:
    """What importing ``table`` into ``cohort`` would do now, row by row (``participants.roster``)."""
    rows = roster.roster_rows_read(table=table, agencies=roster_agencies())
    facts = roster_facts(cohort=cohort, emails=roster.roster_emails(rows))
    return roster.roster_preview_build(
        rows=rows,
        facts=facts,
        waitlist_rest=waitlist_rest,
        status=status,
        ignored=roster.ignored_columns(table.headers),
    )


def roster_import_options(roster_import: RosterImport) -> tuple[bool, str]:
    options = (roster_import.summary or {}).get("options", {})
    return bool(options.get("waitlist_rest", False)), options.get("status", Enrolment.Status.INVITED)


def roster_import_preview(*, roster_import: RosterImport) -> roster.RosterPreview:
    """The stored upload checked against the cohort as it is now (the cohort may have changed).

    The file was parsed once, when it was stored: its rows are read back, never parsed again.
    """
    waitlist_rest, status = roster_import_options(roster_import)
    table = Table.from_json(roster_import.parsed)
    return roster_preview(cohort=roster_import.cohort, table=table, waitlist_rest=waitlist_rest, status=status)


def _when(value: dt.datetime | None, cohort: Cohort) -> str:
    return value.astimezone(cohort.tz).isoformat(timespec="minutes") if value else ""


def roster_export_rows(*, cohort: Cohort) -> tuple[Sequence[str], list[list[Any]]]:
    """The cohort's people and their status, in the import's columns (an export imports back).

    Times are in the cohort's time zone, with their offset.
    """
    rows = []
    for enrolment in cohort_roster(cohort=cohort):
        participant = enrolment.participant
        user = participant.user
        # An erased person keeps their row (places and counts) under the label, without the account's
        # placeholder address: imported back, the row is refused rather than inviting that address.
        rows.append(
            [
                "" if user.is_erased else user.email,
                user.get_full_name() if user.is_erased else user.first_name,
                user.last_name,
                str(participant.agency) if participant.agency else "",
                participant.position,
                participant.country,
                user.language,
                enrolment.status,
                _when(enrolment.status_changed_at, cohort),
                _when(enrolment.waitlisted_at, cohort),
            ]
        )
    return roster.EXPORT_COLUMNS, rows
