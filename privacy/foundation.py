"""The holdings of the apps below privacy (core, audit, accounts, jobs) and of the libraries they use.

Those apps cannot import privacy, so privacy declares what they hold; every app above registers its own
in its ``privacy_registry.py``.
"""

import logging
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, not_personal, register


def _audit_rows(user: Any) -> QuerySet[Any]:
    from audit.models import AuditEntry

    return AuditEntry.objects.filter(Q(actor_id=user.pk) | Q(subject_id=user.pk)).order_by("at", "pk")


def _admin_log_rows(user: Any) -> QuerySet[Any]:
    from django.contrib.admin.models import LogEntry

    about = Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    return LogEntry.objects.filter(Q(user=user) | about)


logger = logging.getLogger(__name__)

# The job kind of a person's data export (privacy.export): its files go with the person.
EXPORT_JOB_KIND = "privacy.export"
DB_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def _end_sessions(user: Any, rows: QuerySet[Any]) -> int:
    """End each signed-in session (its session data goes too), not only the row that lists it."""
    ended = 0
    for session in rows:
        session.end()
        ended += 1
    return ended


def _delete_files_on_commit(files: list[tuple[Any, str]]) -> None:
    """Files go once the erasure commits: a rolled-back erasure keeps them."""

    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("erasure: could not delete the file %s", name, exc_info=True)

    if files:
        transaction.on_commit(delete)


def _erase_exports(user: Any) -> int:
    from jobs.models import Job

    exports = Job.objects.filter(kind=EXPORT_JOB_KIND, input__person=user.pk)
    _delete_files_on_commit([(job.result_file.storage, job.result_file.name) for job in exports if job.result_file])
    deleted, _by_model = exports.delete()
    return deleted


def _erase_account(user: Any, rows: QuerySet[Any]) -> int:
    """The account stays, so that what the person did keeps its place in counts and timelines; what names
    them, signs them in or reaches them goes (``accounts.models.User.get_full_name`` gives the label)."""
    from accounts.roles import forget_roles

    _erase_exports(user)
    user.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.language = user.export_delimiter = ""
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    forget_roles(user)
    _end_other_sessions(user)
    return 1


def _end_other_sessions(user: Any) -> None:
    """Sessions usersessions did not list (made before it was installed) end too. They would stop
    working anyway (the password hash they carry changed, the account is inactive); their rows go."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        return
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()


def register_foundation() -> None:
    register(
        Holding(
            model="accounts.User",
            person="pk",
            title=_("Your account"),
            fields=(
                "first_name",
                "last_name",
                "email",
                "language",
                "export_delimiter",
                "date_joined",
                "last_login",
                "first_login_at",
            ),
            purpose=_("To sign you in, and to name you to the staff and teams of the courses you take part in."),
            erasure=Erasure.ANONYMISE,
            erase=_erase_account,
            erasure_note=_(
                "Your name and e-mail address are replaced by an anonymous label and the account can no longer "
                "sign in. What you did keeps its place in counts and timelines under that label."
            ),
        ),
        Holding(
            model="account.EmailAddress",
            person="user",
            title=_("E-mail addresses"),
            fields=("email", "verified", "primary"),
            purpose=_("To sign you in and to reach you."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted."),
        ),
        Holding(
            model="mfa.Authenticator",
            person="user",
            title=_("Second factors"),
            fields=("type", "created_at", "last_used_at"),
            purpose=_("To protect staff accounts with a second factor."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted."),
        ),
        Holding(
            model="usersessions.UserSession",
            person="user",
            title=_("Signed-in sessions"),
            fields=("created_at", "last_seen_at", "ip", "user_agent"),
            labels={"ip": _("address"), "user_agent": _("client")},
            purpose=_("To show you where you are signed in, so that you can sign out everywhere."),
            erasure=Erasure.DELETE,
            erase=_end_sessions,
            erasure_note=_("Ended and deleted."),
        ),
        Holding(
            model="knox.AuthToken",
            person="user",
            title=_("API tokens"),
            fields=("created", "expiry"),
            labels={"expiry": _("expires")},
            purpose=_("To let your programs use the API in your name."),
            erasure=Erasure.DELETE,
            erasure_note=_("Deleted."),
            retention_setting="CONCORD_API_TOKEN_TTL_HOURS",
        ),
        Holding(
            model="jobs.Job",
            person="requested_by",
            title=_("Background jobs you asked for"),
            fields=("kind", "state", "requested_at", "finished_at", "result_name"),
            purpose=_("To build exports, reports and certificates in the background and give you the file."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The jobs stay under the anonymous label; your own data exports are deleted."),
            retention_setting="CONCORD_JOB_RESULT_DAYS",
        ),
        Holding(
            model="audit.AuditEntry",
            person="subject_id",
            title=_("Audit trail entries by you or about you"),
            fields=("at", "action", "target_type", "target_id", "ip", "user_agent"),
            actors=("actor_id",),
            rows=_audit_rows,
            purpose=_("To show who did what with sensitive records, and when."),
            erasure=Erasure.KEEP,
            erasure_note=_(
                "Kept: the audit trail is evidence, chained so that no entry can be changed. It holds ids and "
                "shortened network addresses, never names; the account it points to is anonymised."
            ),
        ),
        Holding(
            model="admin.LogEntry",
            person="user",
            title=_("Changes made in the administration site"),
            fields=("action_time", "object_repr", "change_message"),
            labels={"action_time": _("when"), "object_repr": _("object"), "change_message": _("change")},
            text=("object_repr", "change_message"),
            rows=_admin_log_rows,
            purpose=_("To show what administrators changed."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, with your name taken out."),
        ),
    )
    not_personal("accounts.User", ("password",), _("A one-way hash of the password."))
    not_personal("usersessions.UserSession", ("data",), _("The session's technical state, deleted with the session."))
    not_personal(
        "sessions.Session", ("session_data",), _("Sign-in state; a person's sessions end when they are erased.")
    )
    not_personal("audit.AuditEntry", ("detail",), _("Ids, field names and counts, never personal data."))
    not_personal(
        "jobs.Job",
        ("input", "result", "error", "result_file"),
        _("Ids and summaries of the work; result files are deleted when they expire."),
    )
    not_personal(
        "core.OutboxMessage",
        ("args", "kwargs", "last_error"),
        _("The ids a background task works on, kept until the task is delivered."),
    )
    not_personal("admin.LogEntry", ("object_id",), _("The id of the changed object."))
    not_personal("auth.Group", ("name",), _("A role's name."))
    not_personal("auth.Permission", ("name",), _("A permission's name."))
    not_personal("sites.Site", ("name",), _("The site's name."))
    not_personal("core.OutboxMessage", ("task_name",), _("The name of a background task."))
    not_personal(
        "mfa.Authenticator", ("data",), _("A second factor's encrypted secret or public key, deleted on erasure.")
    )
    register(
        Holding(
            model="privacy.ErasureRecord",
            person="erased_by",
            title=_("Erasures you carried out"),
            fields=("erased_at", "kind"),
            purpose=_("To show that a person's data was erased, when, by whom and why."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        )
    )
    not_personal(
        "privacy.ErasureRecord",
        ("reason", "counts"),
        _("Why someone was erased, with the erased person's name and e-mail taken out, and counts of rows."),
    )
