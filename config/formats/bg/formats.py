# Bulgarian: the year is followed by "г." ("15 декември 2026 г."), "15.12.2026 г., 14:30".
# Django's module sets no date-time formats (its English defaults would show); these do.
from django.conf.locale.bg.formats import *  # noqa: F403

DATE_FORMAT = "j F Y г."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y г., H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y г."
SHORT_DATETIME_FORMAT = "d.m.Y г., H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

LONG_DATE_FORMAT = "l, j F Y г."
LONG_DATETIME_FORMAT = "l, j F Y г., H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l, j F"
DAY_TIME_FORMAT = "D, j M, H:i"
DAY_TIME_ZONE_FORMAT = "D, j M, H:i T"
DAY_DATETIME_ZONE_FORMAT = "D, j M Y г., H:i T"
DATETIME_ZONE_FORMAT = "j F Y г., H:i T"
WEEKDAY_TIME_FORMAT = "D, H:i"
