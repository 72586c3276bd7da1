# Romanian: "15 decembrie 2026", "15.12.2026, 14:30".
from django.conf.locale.ro.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"

LONG_DATE_FORMAT = "l, j F Y"
LONG_DATETIME_FORMAT = "l, j F Y, H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l, j F"
DAY_TIME_FORMAT = "D, j M, H:i"
DAY_TIME_ZONE_FORMAT = "D, j M, H:i T"
DAY_DATETIME_ZONE_FORMAT = "D, j M Y, H:i T"
DATETIME_ZONE_FORMAT = "j F Y, H:i T"
WEEKDAY_TIME_FORMAT = "D, H:i"
