"""Property: a random roster (good and bad rows mixed, any capacity) imports completely or not at all."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import User
from participants import selectors, services
from participants.models import Enrolment, EnrolmentStatusChange, Participant, RosterImport
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from trainings.tests.factories import AgencyFactory, CohortFactory

GOOD = ("new", "new", "known", "enrolled")
BAD = ("bad_email", "unknown_agency", "bad_country", "bad_language", "duplicate")
HEADER = "email;first_name;last_name;agency;position;country;preferred_language"


def _counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Participant.objects.count(),
        Enrolment.objects.count(),
        EnrolmentStatusChange.objects.count(),
    )


class RandomRosterTests(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        kinds=st.lists(st.sampled_from(GOOD + BAD), min_size=1, max_size=8),
        capacity=st.integers(min_value=1, max_value=6),
        taken=st.integers(min_value=0, max_value=6),
        waitlist_rest=st.booleans(),
        email_case=st.sampled_from(["lower", "upper"]),
    )
    def test_random_rosters_import_completely_or_not_at_all(self, kinds, capacity, taken, waitlist_rest, email_case):
        AgencyFactory(name="Border Guard", country="PL")
        cohort = CohortFactory(capacity=capacity)
        EnrolmentFactory.create_batch(min(taken, capacity), cohort=cohort, status="enrolled")
        enrolled = EnrolmentFactory(cohort=cohort, status="withdrawn").participant  # holds no place

        lines, emails, expect_error, needs_place = [], [], False, 0
        for number, kind in enumerate(kinds):
            email, valid = f"person{number}@example.org", True
            agency, country, language = "Border Guard", "PL", "pl"
            if kind == "known":
                email = ParticipantFactory(user__email=f"known{number}@example.org").user.email
            elif kind == "enrolled":
                email = enrolled.user.email  # already in the cohort: takes no new place
            elif kind == "bad_email":
                email, valid = f"person{number}.example.org", False
            elif kind == "unknown_agency":
                agency, valid = "Ministry of Silly Walks", False
            elif kind == "bad_country":
                country, valid = "POL", False
            elif kind == "bad_language":
                language, valid = "xx", False
            elif kind == "duplicate" and emails:
                email = emails[-1]
            if email in emails:
                valid = False  # the same person twice in the file
            emails.append(email)
            if not valid:
                expect_error = True
            elif email != enrolled.user.email:
                needs_place += 1
            cell = email.upper() if email_case == "upper" else email
            lines.append(f"{cell};First{number};Last{number};{agency};Officer;{country};{language}")
        free = max(0, capacity - min(taken, capacity))
        if needs_place > free and not waitlist_rest:
            expect_error = True

        content = ("\n".join([HEADER, *lines]) + "\n").encode()
        roster_import = services.roster_import_create(
            cohort=cohort, uploaded_by=None, filename="random.csv", content=content, waitlist_rest=waitlist_rest
        )
        before = _counts()
        # The preview agrees with what this test expects of the rows...
        assert selectors.roster_import_preview(roster_import=roster_import).has_errors == expect_error, kinds
        if expect_error:
            # ...and a roster with any problem imports not at all: nothing changed.
            with pytest.raises(services.RosterImportError) as excinfo:
                services.roster_import_commit(roster_import=roster_import, by=None)
            assert excinfo.value.preview.error_rows
            assert _counts() == before
            roster_import.refresh_from_db()
            assert roster_import.status == RosterImport.Status.PREVIEWED
            return

        # A good one imports completely: everyone of the file in the cohort, once, within capacity.
        services.roster_import_commit(roster_import=roster_import, by=None)
        distinct = {email.lower() for email in emails}
        in_cohort = set(
            Enrolment.objects.filter(cohort=cohort, participant__user__email__in=distinct).values_list(
                "participant__user__email", flat=True
            )
        )
        assert in_cohort == distinct
        new_people = {e for e in distinct if e.startswith("person")}
        assert _counts()[0] == before[0] + len(new_people)
        assert _counts()[1] == before[1] + len(new_people)
        new_enrolments = len(distinct - {enrolled.user.email})
        assert _counts()[2] == before[2] + new_enrolments
        assert Enrolment.objects.filter(cohort=cohort).holding_place().count() <= capacity
        waitlisted = Enrolment.objects.filter(cohort=cohort, status="waitlisted").count()
        assert waitlisted == max(0, new_enrolments - free)
        for person in Participant.objects.filter(user__email__in=new_people).select_related("agency"):
            assert (person.agency.name, person.country, person.user.language) == ("Border Guard", "PL", "pl")
        roster_import.refresh_from_db()
        assert roster_import.status == RosterImport.Status.COMMITTED
