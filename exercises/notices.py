"""Telling a guest of a run's cell that they are invited: what they play, a link to set a password
(when their account has none yet) and the cell room.

``exercises.services.cell_guest_invite`` queues it after the commit; each place is e-mailed once
(``core.mail.send_once``), however often its task runs.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import user_language
from core.mail import send_once, single_line
from exercises.models import RunCellMember
from exercises.selectors.cells import cell_room_url
from participants.enrolment import absolute_url, set_password_url


def cell_invitation_send(*, place: RunCellMember) -> bool:
    """E-mail the guest, in their language (the course's if they chose none); False when there is nobody to write to."""
    user = place.user
    if not user.is_active or not user.email:
        return False
    run = place.run
    cohort = run.cohort
    invitation = not user.has_usable_password()
    context = {
        "user": user,
        "place": place,
        "run": run,
        "roles": [role.name for role in place.cell_roles.order_by("name")],
        "invited_by": place.invited_by,
        "set_password_url": set_password_url(user=user) if invitation else "",
        "login_url": absolute_url(reverse("account_login")),
        "cell_room_url": absolute_url(cell_room_url(run=run)),
        "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(user_language(user, fallback=cohort.course.language)), timezone.override(cohort.tz):
        subject = single_line(_("You are invited to the simulation cell of %(exercise)s") % {"exercise": run.exercise})
        body = render_to_string("emails/cell_invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def cell_invitation_notify(*, place_id: int) -> bool:
    """E-mail the guest of this place once; False when the place is gone (removed meanwhile) or it was sent."""
    place = (
        RunCellMember.objects.select_related(
            "user", "invited_by", "run__exercise", "run__session", "run__cohort__course"
        )
        .filter(pk=place_id, guest=True)
        .first()
    )
    if place is None:
        return False
    return send_once(key=("cell-invitation", place.pk), send=lambda: cell_invitation_send(place=place))
