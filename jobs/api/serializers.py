from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import EnumField
from jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    state = EnumField(Job.State)
    # A declared field named like Field.label: DRF pops it from the class, the attribute stays Field's.
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text=_("What the job does, in the reader's language.")
    )
    percent = serializers.IntegerField(read_only=True, help_text=_("0–100; 100 once the job succeeded."))
    download_url = serializers.SerializerMethodField(help_text=_("The result file while it is kept; else null."))

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "scope",
            "state",
            "progress_done",
            "progress_total",
            "percent",
            "result",
            "result_name",
            "error",
            "requested_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "started_at": {"allow_null": True},
            "finished_at": {"allow_null": True},
            "expires_at": {"allow_null": True},
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: Job) -> Any:
        if not job.has_result_file():
            return None
        url = reverse("api:job-download", kwargs={"pk": job.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
