from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import EnumField
from jobs.models import Job


class BuildInputSerializer(serializers.Serializer):
    shareable = serializers.BooleanField(
        default=False, help_text=_("true: the version with no personal names, shareable by a signed link.")
    )
    language = serializers.CharField(
        required=False, max_length=10, help_text=_("A site language; the request's if left out.")
    )


class CohortBuildInputSerializer(serializers.Serializer):
    language = serializers.CharField(
        required=False, max_length=10, help_text=_("A site language; the request's if left out.")
    )


class ReportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    state = EnumField(Job.State.choices, enum_name="ReportJobState")
    shareable = serializers.BooleanField(source="input.shareable", default=False)
    language = serializers.CharField(source="input.language", default="")
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    error = serializers.CharField()
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    pdf = serializers.CharField(allow_null=True, help_text=_("Where to download the PDF once the job succeeded."))
    shared_link = serializers.CharField(
        allow_null=True, help_text=_("A shareable job's signed link for people without an account (expires).")
    )
