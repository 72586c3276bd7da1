"""Telling people about their enrolment: an invitation to set a password, or a plain notice.

Someone whose account has no usable password yet (every person a coordinator adds) gets a link to
set one. The link is allauth's own password-reset-from-key link, so the password is set through
allauth's form, validators and rate limits, and the link stops working once a password is set.

Emails go one person per task, and each is sent once (``core.mail.send_once``): a
task that runs again — retried, or delivered twice to the workers — does not write to the same person twice.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from accounts.models import User
from core.mail import send_once, single_line
from participants.models import Enrolment

# Why a person is written to.
EVENT_ENROLLED = "enrolled"  # a new enrolment (invited, enrolled or on the waiting list)
EVENT_PROMOTED = "promoted"  # moved up from the waiting list
EVENT_REMINDER = "reminder"  # a coordinator sent the invitation again
EVENTS = (EVENT_ENROLLED, EVENT_PROMOTED, EVENT_REMINDER)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def set_password_url(*, user: User) -> str:
    """allauth's set-a-new-password link for the user; it works until a password is set (or it expires)."""
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return absolute_url(path)


def _subject(*, enrolment: Enrolment, event: str) -> str:
    cohort = enrolment.cohort.name
    if event == EVENT_PROMOTED:
        return _("A place is free for you in %(cohort)s") % {"cohort": cohort}
    if enrolment.status == Enrolment.Status.WAITLISTED:
        return _("You are on the waiting list for %(cohort)s") % {"cohort": cohort}
    if enrolment.status == Enrolment.Status.ENROLLED:
        return _("You are enrolled in %(cohort)s") % {"cohort": cohort}
    return _("You are invited to %(cohort)s") % {"cohort": cohort}


def enrolment_notification_send(*, enrolment: Enrolment, event: str) -> bool:
    """Email the enrolled person, in their preferred language; False when there is nobody to write to."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    enrolment = Enrolment.objects.select_related("participant__user", "cohort__course").get(pk=enrolment.pk)
    user = enrolment.participant.user
    if not user.is_active or not user.email:
        return False
    invitation = not user.has_usable_password()
    context = {
        "enrolment": enrolment,
        "cohort": enrolment.cohort,
        "user": user,
        "event": event,
        "set_password_url": set_password_url(user=user) if invitation else "",
        "login_url": absolute_url(reverse("account_login")),
        "cohort_url": absolute_url(enrolment.cohort.get_absolute_url()),
        "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    template = "emails/invitation.txt" if invitation else "emails/enrolment_notice.txt"
    with translation.override(user_language(user)):
        subject = single_line(_subject(enrolment=enrolment, event=event))
        body = render_to_string(template, context)
    send_mail(subject, body, None, [user.email])
    return True


def enrolment_notify(*, enrolment_id: int, event: str, notice: str = "") -> bool:
    """Email a person about their enrolment, once per ``notice`` (the id of one queued notification:
    the same id again sends nothing). False when the enrolment is gone, or it was sent already."""
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return False
    if not notice:
        return enrolment_notification_send(enrolment=enrolment, event=event)
    return send_once(
        key=("enrolment", enrolment.pk, event, notice),
        send=lambda: enrolment_notification_send(enrolment=enrolment, event=event),
    )
