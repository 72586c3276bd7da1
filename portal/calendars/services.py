"""Calendar feeds: the token addresses behind which a cohort's or a person's calendar is served."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.decorators import audited
from core.exceptions import ApplicationError
from core.services import model_full_clean
from portal.models import CalendarFeed
from trainings.models import Cohort

TOKEN_BYTES = 32


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _already_live_error(cohort: Cohort | None) -> ApplicationError:
    if cohort is not None:
        message = _("%(cohort)s already has a calendar feed. Renew it to get a new address.") % {"cohort": cohort}
    else:
        message = _("You already have a calendar feed. Renew it to get a new address.")
    return ApplicationError(message)


@transaction.atomic
@audited("calendar_feed.create")
def calendar_feed_create(*, by: User, cohort: Cohort | None = None) -> CalendarFeed:
    """A new live feed: the cohort's when ``cohort`` is given, otherwise ``by``'s own.

    Who may create a cohort's feed (coordinators) is the caller's check: ``portal.manage_cohort_calendar``.
    """
    owner = None if cohort is not None else by
    live = CalendarFeed.objects.filter(revoked_at__isnull=True)
    if (live.filter(cohort=cohort) if cohort is not None else live.filter(user=owner)).exists():
        raise _already_live_error(cohort)
    feed = CalendarFeed(token=_new_token(), cohort=cohort, user=owner, created_by=by)
    model_full_clean(instance=feed)
    try:
        # A savepoint: a parallel request that created the same live feed loses cleanly.
        with transaction.atomic():
            feed.save()
    except IntegrityError as exc:
        raise _already_live_error(cohort) from exc
    return feed


def _lock_live(feed: CalendarFeed) -> CalendarFeed:
    locked = CalendarFeed.objects.select_for_update(of=("self",)).select_related("cohort", "user").get(pk=feed.pk)
    if locked.revoked_at is not None:
        raise ApplicationError(_("This calendar feed was already revoked."))
    return locked


@transaction.atomic
@audited("calendar_feed.revoke", target="feed")
def calendar_feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    """Stop the feed: its address answers 404 from now on. Subscribed programs keep their last copy."""
    feed = _lock_live(feed)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at", "updated_at"])
    return feed


@transaction.atomic
@audited("calendar_feed.renew", target="feed")
def calendar_feed_renew(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """Revoke the feed and give its cohort or person a new one: for an address that was shared too widely."""
    feed = _lock_live(feed)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at", "updated_at"])
    renewed = CalendarFeed(token=_new_token(), cohort=feed.cohort, user=feed.user, created_by=by)
    model_full_clean(instance=renewed)
    renewed.save()
    return renewed
