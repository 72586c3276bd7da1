from typing import Any

from django.db import models


class JobQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "JobQuerySet":
        """The jobs a person asked for (a superuser: all of them).

        ``jobs.view_job`` also admits whoever a job's kind lets see it (``JobKind.can_view``), which no
        query in this app can express: domain pages list the jobs of their scope through
        ``jobs.selectors.jobs_for_scope`` after checking the scope themselves.
        """
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(requested_by=user)

    def active(self) -> "JobQuerySet":
        return self.filter(state__in=("queued", "running"))
