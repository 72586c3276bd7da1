"""The privacy notice: public, for anyone, signed in or not (``privacy.notice_selectors``)."""

from typing import Any

from django.views.generic import TemplateView

from privacy.notice_selectors import privacy_notice


class PrivacyNoticeView(TemplateView):
    template_name = "privacy/notice.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(notice=privacy_notice(), **kwargs)
