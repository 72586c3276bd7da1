"""Events of the schedule that higher layers act on (trainings cannot import them).

Receivers stay thin: they queue work with ``transaction.on_commit`` and carry ids.
"""

from django.dispatch import Signal

# Sent inside the transaction that cancels a session, with ``session``, ``by`` (a user or None)
# and ``reason`` (free text for the people told about it).
session_cancelled = Signal()

# Sent inside the transaction that raised a cohort's capacity, with ``cohort`` and ``by``:
# the participants layer gives the new places to the waiting list.
cohort_capacity_raised = Signal()
