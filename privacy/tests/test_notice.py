"""The privacy notice (/privacy/): public, built from the registry and the retention settings."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from jobs.registry import JobKind, register, unregister
from privacy.notice_selectors import Period, job_result_days, privacy_notice, retention_period
from privacy.registry import holdings

pytestmark = pytest.mark.django_db

URL = "/privacy/"


def _text(response) -> str:
    return response.content.decode()


def test_the_url_is_named():
    assert reverse("privacy:notice") == URL


def test_anyone_reads_it_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Privacy notice" in _text(response)


def test_signed_in_people_read_it_too(client, coordinator):
    client.force_login(coordinator)
    assert client.get(URL).status_code == 200


def test_it_lists_every_holding_with_its_purpose_and_erasure(client):
    page = _text(client.get(URL))
    with translation.override("en"):
        for holding in holdings():
            assert str(holding.title).replace("'", "&#x27;") in page, holding.title
            assert str(holding.purpose).replace("'", "&#x27;").replace('"', "&quot;") in page, holding.purpose


def test_holdings_are_grouped_by_app_with_field_names():
    notice = privacy_notice()
    with translation.override("en"):
        labels = [str(section.label) for section in notice.sections]
        assert labels[0] == "Accounts"  # allauth's, mfa's, usersessions' and knox's holdings join it
        assert {"Trainings", "Participants", "Live conduct", "Certificates"} <= set(labels)
        assert len(labels) == len(set(labels))
        participants = next(s for s in notice.sections if str(s.label) == "Participants")
        attendance = next(h for h in participants.holdings if str(h.title) == "Attendance")
        # Two lookups through the session read as the session, once.
        assert [str(label) for label in attendance.kept] == ["session", "status", "recorded at"]
        assert str(attendance.erasure) == "Anonymised"
    assert sum(len(section.holdings) for section in notice.sections) == len(holdings())


@override_settings(
    CONCORD_RETENTION_COHORT_DAYS=731,
    CONCORD_ROSTER_FILE_DAYS=17,
    CONCORD_PRIVACY_EXPORT_HOURS=49,
    CONCORD_API_TOKEN_TTL_HOURS=11,
    CONCORD_SESSION_IDLE_SECONDS=3 * 3600,
    CONCORD_JOB_RESULT_DAYS=90,
)
def test_it_shows_the_configured_periods(client):
    page = _text(client.get(URL))
    assert "731 days after the cohort ends" in page
    assert "17 days after the upload" in page
    assert "90 days after they are made" in page
    assert "for 49 hours" in page
    assert "11 hours after" in page
    assert "after 3 hours without activity" in page
    assert "As long as the account exists" in page


def test_a_kind_that_keeps_its_files_longer_sets_the_longest_period(settings):
    settings.CONCORD_JOB_RESULT_DAYS = 1
    register(JobKind(name="tests.long", label="Long", run=lambda job, progress: None, keep_result_seconds=40 * 86400))
    try:
        assert job_result_days() == 40
    finally:
        unregister("tests.long")
    assert job_result_days() >= 14  # the run report's own keep (its shared link's life)


def test_periods_are_put_into_words_in_the_reader_language():
    period = retention_period("CONCORD_ROSTER_FILE_DAYS")
    assert isinstance(period, Period)
    with translation.override("en"):
        assert str(period) == "The file: 30 days after the upload"
    assert retention_period("") is None
    assert retention_period("CONCORD_NOT_A_SETTING") is None


def test_the_contact_is_shown_only_when_set(client, settings):
    assert "mailto:" not in _text(client.get(URL))
    settings.CONCORD_PRIVACY_CONTACT = "privacy@concord.example.org"
    assert 'href="mailto:privacy@concord.example.org"' in _text(client.get(URL))


def test_it_names_the_rights(client):
    page = _text(client.get(URL))
    assert 'href="/account/data/"' in page
    assert "ask a training coordinator" in page


def test_it_is_linked_from_the_sign_in_page_and_every_footer(client, coordinator):
    login = _text(client.get(reverse("account_login")))
    assert login.count(f'href="{URL}"') == 2  # the page's own link and the footer's
    client.force_login(coordinator)
    dashboard = _text(client.get(reverse("dashboard")))
    footer = dashboard[dashboard.index('<footer class="site-footer">') :]
    assert f'href="{URL}"' in footer


@pytest.mark.parametrize("language", ["pl", "de", "ro", "bg"])
def test_it_answers_in_every_interface_language(client, language):
    response = client.get(URL, headers={"accept-language": language})
    assert response.status_code == 200
    assert response["Content-Language"] == language


def test_library_fields_read_as_words_not_column_names():
    with translation.override("en"):
        kept = {
            str(holding.title): [str(label) for label in holding.kept]
            for section in privacy_notice().sections
            for holding in section.holdings
        }
    assert kept["Signed-in sessions"] == ["created at", "last seen at", "address", "client"]
    assert kept["Changes made in the administration site"] == ["when", "object", "change"]
    assert kept["API tokens"] == ["created", "expires"]
