"""The participant's own profile."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import DetailView

from accounts.forms import LanguageForm
from audit.services import audit_read
from participants import selectors
from participants.models import Participant


class ProfileView(LoginRequiredMixin, DetailView):
    """A participant's own profile and enrolments; nobody else's."""

    template_name = "participants/participant_me.html"
    context_object_name = "participant"
    extra_context = {"section": "profile"}

    def get_object(self, queryset: Any = None) -> Participant:
        participant = selectors.participant_profile_get(user=self.request.user)
        if participant is None:
            raise Http404
        return participant

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enrolments"] = selectors.participant_enrolment_list(user=self.request.user, include_withdrawn=True)
        # The person's language, saved by the account page, which brings them back here.
        context["form"] = LanguageForm(initial={"language": self.object.user.language})
        context["next"] = self.request.path
        audit_read(action="profile.view", target=self.object, subject_id=self.object.user_id)
        return context
