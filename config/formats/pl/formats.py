# Polish: months in the genitive after a day ("15 grudnia 2026", format character E), dd.mm.rrrr.
from django.conf.locale.pl.formats import *  # noqa: F403

DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"  # Django's "d-m-Y" is not how Poles write dates
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"

LONG_DATE_FORMAT = "l, j E Y"
LONG_DATETIME_FORMAT = "l, j E Y, H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l, j E"
DAY_TIME_FORMAT = "D, j E, H:i"
DAY_TIME_ZONE_FORMAT = "D, j E, H:i T"
DAY_DATETIME_ZONE_FORMAT = "D, j E Y, H:i T"
DATETIME_ZONE_FORMAT = "j E Y, H:i T"
WEEKDAY_TIME_FORMAT = "D, H:i"
