"""Privacy's writes: a person's data export, erasing a person, and the retention sweep that erases the
people of cohorts long over.

Erasure walks the registry (``privacy.registry.holdings()``) and does what each holding says; it knows no
domain. The account row stays, anonymised, so that what the person did keeps its place in counts,
ratings and exchange matrices under the anonymous label (``accounts.models.erased_label``).
"""

import datetime as dt
import logging
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exports import export_delimiter
from accounts.languages import user_language
from accounts.models import User, erased_label
from audit.decorators import audited
from audit.services import audit_record
from core.exceptions import ApplicationError
from jobs.models import Job
from jobs.services import job_request
from privacy import registry
from privacy.anonymise import Scrubber
from privacy.export_job import KIND, person_scope
from privacy.models import ErasureRecord
from privacy.registry import Erasure, Holding

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000


@transaction.atomic
@audited("person.export", target="person", subject="pk", fields=None)
def person_export_request(*, person: User, by: Any) -> Job:
    """Ask for everything held about ``person`` as a ZIP, built in the background: the job.

    The person may ask, or a coordinator on their behalf (``privacy.export_person``). While an export of
    the same person is queued or running, asking again answers that job. The ZIP is in the requester's
    language and CSV delimiter. An erased person has nothing left to export.
    """
    if by is None or not by.has_perm("privacy.export_person", person):
        raise ApplicationError(_("You may not ask for this person's data."))
    if person.erased_at is not None:
        raise ApplicationError(_("This person's data was erased: there is nothing to export."))
    job, _created = job_request(
        kind=KIND,
        requested_by=by,
        dedupe_key=f"{KIND}:{person.pk}",
        input={"person": person.pk, "language": user_language(by), "delimiter": export_delimiter(user=by)},
        scope=person_scope(person.pk),
    )
    return job


def person_scrubber(person: User) -> Scrubber:
    """What takes the person's name and e-mail out of stored text: the label in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        label = erased_label(person.pk)
    return Scrubber(email=person.email, first_name=person.first_name, last_name=person.last_name, label=label)


def _empty(field: models.Field) -> Any:
    if isinstance(field, models.JSONField):
        return {} if not field.null else None
    if isinstance(field, models.BinaryField):
        return b""
    if field.null:
        return None
    return ""


def _blank(holding: Holding, rows: QuerySet[Any]) -> set[Any]:
    """Empty the holding's ``blank`` fields in its rows; the pks of the rows that changed."""
    if not holding.blank:
        return set()
    model = holding.model_class
    values = {name: _empty(model._meta.get_field(name)) for name in holding.blank}  # type: ignore[arg-type]
    changed = Q()
    for name, value in values.items():
        changed |= ~Q(**{name: value}) if value is not None else Q(**{f"{name}__isnull": False})
    pks = set(rows.filter(changed).values_list("pk", flat=True))
    if pks:
        model._default_manager.filter(pk__in=pks).update(**values)
    return pks


def _scrub(holding: Holding, rows: QuerySet[Any], scrubber: Scrubber) -> set[Any]:
    """Take the person's name and e-mail out of the ``text`` fields, in the holding's rows and in any other
    row of the model whose text holds the e-mail or the full name; the pks of the rows that changed."""
    if not holding.text:
        return set()
    model = holding.model_class
    manager = model._default_manager
    own = set(rows.values_list("pk", flat=True))
    changed: set[Any] = set()
    for name in holding.text:
        field = model._meta.get_field(name)
        found = Q(pk__in=own)
        for term in scrubber.search_terms():
            found |= Q(**{f"{name}__icontains": term})
        for pk, value in manager.filter(found).values_list("pk", name).iterator():
            if not value:
                continue
            if isinstance(field, models.EmailField):
                new = "" if scrubber.names(value) else value
            else:
                new = scrubber.scrub(value)
            if new != value:
                manager.filter(pk=pk).update(**{name: new})
                changed.add(pk)
    return changed


def _erase_holding(holding: Holding, person: User, scrubber: Scrubber) -> int:
    rows = holding.queryset(person)
    if holding.erase is not None:
        return holding.erase(person, rows)
    if holding.erasure is Erasure.DELETE:
        pks = list(rows.values_list("pk", flat=True))
        holding.model_class._default_manager.filter(pk__in=pks).delete()
        return len(pks)
    if holding.erasure is Erasure.ANONYMISE:
        # Text first: blanking may unlink the rows (a completion's response) that lead to the text.
        changed = _scrub(holding, rows, scrubber)
        changed |= _blank(holding, holding.queryset(person))
        return len(changed)
    return 0


@transaction.atomic
def person_erase(
    *, person: User, by: User | None, reason: str, kind: str = ErasureRecord.Kind.REQUEST
) -> ErasureRecord:
    """Erase a person: what identifies them goes everywhere the registry says, the account stays
    anonymised. ``by`` is the coordinator (None for the retention sweep). Refused, with nothing written,
    for a person erased already, for oneself, and without a reason."""
    # Every erasure of this person queues on their row: two at once cannot both pass the checks below.
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise ApplicationError(_("This person does not exist."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why this person is erased.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}]
    if locked.erased_at is not None or ErasureRecord.objects.filter(person_id=locked.pk).exists():
        raise ApplicationError(_("This person was erased already."))
    if by is not None and by.pk == locked.pk:
        raise ApplicationError(_("You cannot erase yourself; ask another coordinator."))
    if errors:
        raise ApplicationError(field_errors=errors)

    scrubber = person_scrubber(locked)
    counts: Counter[str] = Counter()
    # Upper layers first (they registered last), the account itself at the very end.
    for holding in reversed(registry.holdings()):
        if holding.erasure is Erasure.KEEP and holding.erase is None:
            continue
        changed = _erase_holding(holding, locked, scrubber)
        if changed:
            counts[holding.model] += changed

    record = ErasureRecord.objects.create(
        person_id=locked.pk,
        kind=kind,
        reason=scrubber.scrub(reason),
        erased_by=by,
        erased_at=locked.erased_at or timezone.now(),
        counts=dict(sorted(counts.items())),
    )
    # Counts only: the entry must not keep what was erased.
    audit_record(
        action="person.erase",
        target=("accounts.user", locked.pk),
        subject_id=locked.pk,
        detail={"kind": kind, "count": sum(counts.values())},
    )
    logger.info("person erased: person=%s kind=%s rows=%s", locked.pk, kind, sum(counts.values()))
    person.refresh_from_db()
    return record


def retention_sweep(*, today: dt.date | None = None) -> int:
    """Erase the people whose cohorts all ended more than ``CONCORD_RETENTION_COHORT_DAYS`` ago and are not
    held (each domain names its candidates: ``registry.register_retention``); how many were erased.

    Each person is erased in their own transaction: one failure is logged and the others go on. A second
    run finds nobody left (erased people are no candidates), so it changes nothing."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.CONCORD_RETENTION_COHORT_DAYS)
    erased = 0
    for person_id in sorted(registry.retention_candidates(cutoff)):
        person = User.objects.filter(pk=person_id, erased_at__isnull=True).first()
        if person is None:
            continue
        try:
            person_erase(person=person, by=None, reason="Retention period over", kind=ErasureRecord.Kind.RETENTION)
        except Exception:
            logger.exception("retention sweep: could not erase person %s", person_id)
            continue
        erased += 1
    return erased
