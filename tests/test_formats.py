"""Dates and times in each language's own format (config/formats), 24-hour, never "Dec. 15, 2026"."""

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from config.formats import CUSTOM_FORMATS

WHEN = dt.datetime(2026, 12, 15, 14, 30, tzinfo=dt.UTC)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_module_with_every_format_name(language):
    module = importlib.import_module(f"config.formats.{language}.formats")
    for name in ("DATE_FORMAT", "TIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", *CUSTOM_FORMATS):
        assert getattr(module, name, None), f"{language} lacks {name}"


@pytest.mark.parametrize(
    ("language", "date", "short_datetime"),
    [
        ("en", "15 {December} 2026", "15 Dec 2026, 14:30"),
        ("de", "15. {December} 2026", "15.12.2026, 14:30"),
        ("pl", "15 {December genitive} 2026", "15.12.2026, 14:30"),  # "15 grudnia 2026"
        ("ro", "15 {December} 2026", "15.12.2026, 14:30"),
        ("bg", "15 {December} 2026 г.", "15.12.2026 г., 14:30"),
    ],
)
def test_dates_in_each_languages_format(language, date, short_datetime):
    with translation.override(language):
        # Month names are Django's own translations; Polish takes the genitive after a day.
        months = {
            "December": translation.gettext("December"),
            "December genitive": translation.pgettext("alt. month", "December"),
        }
        assert formats.date_format(WHEN) == date.format_map(months)
        assert formats.date_format(WHEN, "SHORT_DATETIME_FORMAT") == short_datetime


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_are_24_hour_and_no_american_abbreviations(language):
    with translation.override(language):
        rendered = Template(
            "{{ when|date }}|{{ when|time }}|{{ when|date:'DATETIME_FORMAT' }}|{{ when|date:'DAY_TIME_FORMAT' }}|"
            "{{ when|date:'LONG_DATETIME_FORMAT' }}|{{ when|date:'SHORT_DATE_FORMAT' }}"
        ).render(Context({"when": WHEN}))
    assert "14:30" in rendered
    assert not re.search(r"p\.m\.|PM|Dec\.", rendered)
    for name in CUSTOM_FORMATS:
        assert name not in rendered  # an undefined name would be printed as is


def test_no_template_hard_codes_a_human_date_format():
    """Human dates use named formats; only machine formats ('c', 'Ymd', 'Y-m-d', 'T', times) stay literal."""
    allowed = {"c", "Ymd", "Y-m-d", "T", "H:i", "H:i:s"}
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*"):
        if path.is_file():
            for fmt in re.findall(r"\|(?:date|time):[\"']([^\"']+)[\"']", path.read_text()):
                if fmt not in allowed and not fmt.endswith("_FORMAT"):
                    found.append((path.name, fmt))
    assert found == []
