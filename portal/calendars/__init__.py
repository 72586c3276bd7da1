"""Calendars: a cohort's schedule as iCalendar, for subscriptions and for one-off ``.ics`` downloads.

- ``ical``: plain ``CalendarEvent`` values in, iCalendar bytes out; no database, no Django. Every
  calendar Concord serves (feeds and downloads alike) comes out of its one function.
- ``selectors``: which sessions and runs a calendar holds, read in a fixed number of queries and
  turned into events; the reads that find and list feeds.
- ``services``: the token-protected subscription addresses, created, revoked and renewed.
"""
