"""Reflections' writes, by topic (answering and paper answers, reminders)."""

from reflections.services.answering import (
    TEXT_MAX_LENGTH,
    administration_state,
    answers_clean,
    draft_save,
    paper_response_enter,
    response_submit,
)
from reflections.services.reminders import reminder_send_now, reminders_send_due

__all__ = [
    "TEXT_MAX_LENGTH",
    "administration_state",
    "answers_clean",
    "draft_save",
    "paper_response_enter",
    "reminder_send_now",
    "reminders_send_due",
    "response_submit",
]
