# English as written in the EU and the UK: day before month, 24-hour times; never "Dec. 15, 2026".
DATE_FORMAT = "j F Y"  # 15 December 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 15 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

LONG_DATE_FORMAT = "l, j F Y"
LONG_DATETIME_FORMAT = "l j F Y, H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
DAY_TIME_FORMAT = "D j M, H:i"
DAY_TIME_ZONE_FORMAT = "D j M, H:i T"
DAY_DATETIME_ZONE_FORMAT = "D j M Y, H:i T"
DATETIME_ZONE_FORMAT = "j F Y, H:i T"
WEEKDAY_TIME_FORMAT = "D H:i"
