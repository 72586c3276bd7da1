"""Date and time formats per language (``FORMAT_MODULE_PATH``), over Django's own.

Every module defines the same names: Django's (``DATE_FORMAT``…) and ours, which templates use as
``{{ value|date:"DAY_TIME_FORMAT" }}``. A name missing from a language's module would be printed as
is, so ``config/tests/test_formats.py`` checks they are all there. Times are 24-hour everywhere.
"""

# Our own format names, defined by every language's module.
CUSTOM_FORMATS = (
    "LONG_DATE_FORMAT",  # weekday and date: "Tuesday 15 December 2026"
    "LONG_DATETIME_FORMAT",  # weekday, date and time: "Tuesday 15 December 2026, 14:30"
    "WEEKDAY_MONTH_DAY_FORMAT",  # "Tuesday 15 December"
    "DAY_TIME_FORMAT",  # short weekday, day, month and time: "Tue 15 Dec, 14:30"
    "DAY_TIME_ZONE_FORMAT",  # the same with the time zone: "Tue 15 Dec, 14:30 CET"
    "DAY_DATETIME_ZONE_FORMAT",  # with the year: "Tue 15 Dec 2026, 14:30 CET"
    "DATETIME_ZONE_FORMAT",  # "15 December 2026, 14:30 CET"
    "WEEKDAY_TIME_FORMAT",  # "Tue 14:30"
)
