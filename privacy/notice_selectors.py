"""The privacy notice's data, built from the registry (``privacy.registry.holdings()``) and the settings.

Pure: no query. It reads the registry, the models' field names (``_meta``, like ``privacy.checks``) and
the retention settings. Words stay lazy: the page renders them in the reader's language, and a
``Period`` is put into words only when it is shown.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jobs.registry import kinds
from privacy.registry import ERASURE_LABELS, Erasure, Holding, Text, holdings

# Libraries that sign people in are shown with the accounts they serve.
SECTION_OF = {"account": "accounts", "mfa": "accounts", "usersessions": "accounts", "knox": "accounts"}

# How each retention setting reads on the notice ("%(count)d" is the setting's value).
PERIODS: dict[str, Promise] = {
    "CONCORD_RETENTION_COHORT_DAYS": ngettext_lazy(
        "%(count)d day after the cohort ends, unless a coordinator holds the cohort's data with a reason",
        "%(count)d days after the cohort ends, unless a coordinator holds the cohort's data with a reason",
        "count",
    ),
    "CONCORD_ROSTER_FILE_DAYS": ngettext_lazy(
        "The file: %(count)d day after the upload", "The file: %(count)d days after the upload", "count"
    ),
    "CONCORD_JOB_RESULT_DAYS": ngettext_lazy(
        "Result files: at most %(count)d day after they are made",
        "Result files: at most %(count)d days after they are made",
        "count",
    ),
    "CONCORD_API_TOKEN_TTL_HOURS": ngettext_lazy(
        "%(count)d hour after the token is made", "%(count)d hours after the token is made", "count"
    ),
    "CONCORD_PRIVACY_EXPORT_HOURS": ngettext_lazy(
        "%(count)d hour after the export is made", "%(count)d hours after the export is made", "count"
    ),
}
DAYS = ngettext_lazy("%(count)d day", "%(count)d days", "count")
HOURS = ngettext_lazy("%(count)d hour", "%(count)d hours", "count")
MINUTES = ngettext_lazy("%(count)d minute", "%(count)d minutes", "count")
AS_LONG_AS_THE_ACCOUNT = _("As long as the account exists")
FOR_GOOD = _("For good, for the reason given under erasure")


@dataclass(frozen=True)
class Period:
    """A length of time in words, in the language active when it is shown."""

    count: int
    words: Promise  # an ngettext_lazy with a "%(count)d" placeholder

    def __str__(self) -> str:
        return str(self.words % {"count": self.count})


@dataclass(frozen=True)
class NoticeHolding:
    title: Text
    purpose: Text
    kept: tuple[Text, ...]  # the fields' verbose names
    retention: Period | Text
    erasure: Text  # Deleted, Anonymised, Kept
    erasure_note: Text

    @property
    def erasure_detail(self) -> Text:
        """The note, unless it only repeats the label ("Deleted." after "Deleted"); read when shown."""
        return "" if str(self.erasure_note).strip().rstrip(".") == str(self.erasure) else self.erasure_note


@dataclass(frozen=True)
class NoticeSection:
    label: Text  # the app's verbose name
    holdings: tuple[NoticeHolding, ...]


@dataclass(frozen=True)
class Notice:
    sections: tuple[NoticeSection, ...]
    cohort_days: Period
    roster_file_days: Period
    job_result_days: Period
    export_hours: Period
    token_hours: Period
    session_idle: Period
    contact: str = ""


def job_result_days() -> int:
    """The longest any result file is kept, in whole days: the default or a kind's own, whichever is longer."""
    longest = settings.CONCORD_JOB_RESULT_DAYS * 86400
    for kind in kinds().values():
        keep = kind.keep_seconds()
        if keep is not None:
            longest = max(longest, keep)
    return math.ceil(longest / 86400)


def retention_period(setting: str) -> Period | None:
    """How long a holding's rows (or files) are kept, from its ``retention_setting``; None if it names none."""
    if not setting:
        return None
    value = job_result_days() if setting == "CONCORD_JOB_RESULT_DAYS" else getattr(settings, setting, None)
    if not isinstance(value, int):
        return None
    words = PERIODS.get(setting) or (HOURS if setting.endswith("_HOURS") else DAYS)
    return Period(value, words)


def session_idle() -> Period:
    seconds = settings.CONCORD_SESSION_IDLE_SECONDS
    if seconds % 3600 == 0:
        return Period(seconds // 3600, HOURS)
    return Period(math.ceil(seconds / 60), MINUTES)


def field_label(model: Any, path: str) -> Text:
    """A field's verbose name on the holding's own model; a lookup (``cohort__name``) is named by its
    first field ("cohort"), so the notice never reads another app's model."""
    name = path.split("__")[0]
    try:
        return model._meta.get_field(name).verbose_name  # type: ignore[no-any-return]
    except (FieldDoesNotExist, AttributeError):
        return name.replace("_", " ")


def kept_labels(holding: Holding) -> tuple[Text, ...]:
    """What the notice says a holding keeps: each field once (several lookups through one relation read as
    that relation), in the order the holding gives them."""
    labels: dict[str, Text] = {}
    for path in holding.fields:
        key = path if path in holding.labels else path.split("__")[0]
        labels.setdefault(key, holding.labels.get(path) or field_label(holding.model_class, path))
    return tuple(labels.values())


def _holding(holding: Holding) -> NoticeHolding:
    return NoticeHolding(
        title=holding.title,
        purpose=holding.purpose,
        kept=kept_labels(holding),
        retention=retention_period(holding.retention_setting)
        or (FOR_GOOD if holding.erasure is Erasure.KEEP else AS_LONG_AS_THE_ACCOUNT),
        erasure=ERASURE_LABELS[holding.erasure],
        erasure_note=holding.erasure_note,
    )


def privacy_notice() -> Notice:
    """What Concord keeps about people, why, for how long and what erasure does, grouped by app."""
    grouped: dict[str, list[NoticeHolding]] = {}
    for holding in holdings():
        label = holding.model.split(".")[0]
        grouped.setdefault(SECTION_OF.get(label, label), []).append(_holding(holding))
    # Apps in the order they registered (lower layers first), as holdings() gives them.
    sections = tuple(
        NoticeSection(label=apps.get_app_config(label).verbose_name, holdings=tuple(rows))
        for label, rows in grouped.items()
    )
    return Notice(
        sections=sections,
        cohort_days=Period(settings.CONCORD_RETENTION_COHORT_DAYS, DAYS),
        roster_file_days=Period(settings.CONCORD_ROSTER_FILE_DAYS, DAYS),
        job_result_days=Period(job_result_days(), DAYS),
        export_hours=Period(settings.CONCORD_PRIVACY_EXPORT_HOURS, HOURS),
        token_hours=Period(settings.CONCORD_API_TOKEN_TTL_HOURS, HOURS),
        session_idle=session_idle(),
        contact=settings.CONCORD_PRIVACY_CONTACT,
    )
