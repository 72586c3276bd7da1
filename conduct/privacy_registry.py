"""What conduct holds about people: observations, notes, messages and clicks during a run (privacy.registry)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, register

LABEL = _("Kept under the anonymous label, with your name taken out of the text.")


def _observations_about(user: Any) -> QuerySet[Any]:
    from conduct.models import Observation
    from exercises.models import TeamMembership

    teams = TeamMembership.objects.filter(enrolment__participant__user=user).values("team")
    return Observation.objects.filter(team__in=teams).order_by("observed_at", "pk")


def register_personal_data() -> None:
    register(
        Holding(
            model="conduct.Observation",
            person="team",
            title=_("Observations about your teams"),
            fields=("run__exercise__name", "team__name", "observed_at", "phase__name", "rating", "text"),
            text=("text",),
            rows=_observations_about,
            purpose=_("Facilitators' notes on how teams worked together, for the debriefing and the report."),
            erasure=Erasure.ANONYMISE,
            erasure_note=LABEL,
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="conduct.Observation",
            person="author",
            title=_("Observations you wrote"),
            fields=("run__exercise__name", "team__name", "observed_at", "rating", "text", "shareable"),
            text=("text",),
            purpose=_("Facilitators' notes on how teams worked together, for the debriefing and the report."),
            erasure=Erasure.ANONYMISE,
            erasure_note=LABEL,
        ),
        Holding(
            model="conduct.RunNotebook",
            person="author",
            title=_("Your run notebooks"),
            fields=("run__exercise__name", "updated_at", "text"),
            text=("text",),
            purpose=_("A facilitator's free notes during a run."),
            erasure=Erasure.ANONYMISE,
            erasure_note=LABEL,
        ),
        Holding(
            model="conduct.RunEvent",
            person="by",
            title=_("Clock changes you made"),
            fields=("run__exercise__name", "kind", "at", "minutes"),
            purpose=_("The run's timeline: who started, paused or extended it."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
        Holding(
            model="conduct.InjectRelease",
            person="by",
            title=_("Injects you released"),
            fields=("run__exercise__name", "status", "title", "body", "at"),
            text=("title", "body"),
            purpose=_("The run's timeline: what was released to the teams, when and by whom."),
            erasure=Erasure.ANONYMISE,
            erasure_note=LABEL,
        ),
        Holding(
            model="conduct.InjectDelivery",
            person="acknowledged_by",
            title=_("Injects you acknowledged"),
            fields=("release__title", "team__name", "acknowledged_at"),
            purpose=_("To measure how fast teams took in new information."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, so that response times stay right."),
        ),
        Holding(
            model="conduct.Message",
            person="sent_by",
            title=_("Messages you sent"),
            fields=("run__exercise__name", "sender_team__name", "sent_at", "subject", "body"),
            text=("subject", "body"),
            purpose=_("The exchange between agencies during a run, for the debriefing."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_(
                "Kept under the anonymous label, with your name taken out, so that who informed whom keeps its numbers."
            ),
        ),
        Holding(
            model="conduct.MessageRecipient",
            person="first_read_by",
            title=_("Messages you read first for your team"),
            fields=("message__subject", "team__name", "first_read_at"),
            purpose=_("To measure how fast messages were read and answered."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
        Holding(
            model="conduct.HotwashItem",
            person="author",
            title=_("Hot-wash items you wrote"),
            fields=("run__exercise__name", "kind", "text", "created_at"),
            text=("text",),
            purpose=_("Strengths and areas for improvement named right after a run."),
            erasure=Erasure.ANONYMISE,
            erasure_note=LABEL,
        ),
    )
