"""The answer page: one form on a phone, in the person's language; drafts saved as they go, one submission."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from accounts.languages import user_language
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from participants.models import Participant
from reflections import selectors, services
from reflections.models import Administration, Question
from reflections.selectors import QuestionView

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def answers_from_post(data: QueryDict, questions: list[QuestionView]) -> dict[str, Any]:
    """The form's fields (``q_<id>``) as answers by question id; multiple choices as a list."""
    answers: dict[str, Any] = {}
    for view in questions:
        if view.kind == Question.Kind.SECTION:
            continue
        if view.kind == Question.Kind.MULTIPLE:
            answers[str(view.pk)] = data.getlist(view.name)
        else:
            answers[str(view.pk)] = data.get(view.name, "")
    return answers


def language_for(request: HttpRequest, *, participant: Participant | None, saved: str = "") -> str:
    asked = request.GET.get("lang") or request.POST.get("language") or ""
    if asked in LANGUAGE_CODES:
        return asked
    if saved in LANGUAGE_CODES:
        return saved
    # Their language, else the page's.
    return user_language(getattr(participant, "user", None), fallback=translation.get_language())


class AnswerMixin(ObjectPermissionMixin):
    """Members of the administration's cohort who have a participant profile; staff who see it get 403."""

    permission_required = "reflections.answer_administration"
    object: Administration

    def get_permission_queryset(self) -> QuerySet[Administration]:
        return selectors.administration_queryset(user=self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A superuser passes every rule; without a participant profile there is nobody to answer as.
        if request.user.is_authenticated and not Participant.objects.filter(user=request.user).exists():
            get_object_or_404(self.get_permission_queryset(), pk=kwargs["pk"])  # 404 for what they cannot see
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def participant(self) -> Participant:
        return acting_user(self.request).participant


class AnswerView(AnswerMixin, View):
    template_name = "reflections/answer.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        draft = selectors.draft_for(administration=self.object, participant=self.participant)
        language = language_for(request, participant=self.participant, saved=draft.language if draft else "")
        return self._page(language=language, values=draft.answers if draft else {}, draft=draft)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        language = language_for(request, participant=self.participant)
        questions = selectors.question_views(administration=self.object, language=language)
        answers = answers_from_post(request.POST, questions)
        try:
            if "submit" in request.POST:
                services.response_submit(administration=self.object, participant=self.participant, answers=answers)
                messages.success(request, _("Thank you: your answers are submitted."))
            else:
                services.draft_save(
                    administration=self.object, participant=self.participant, answers=answers, language=language
                )
                messages.success(
                    request, _("Draft saved. You can come back and change it until the questionnaire closes.")
                )
        except ApplicationError as error:
            return self._page(language=language, values=answers, errors=error, status=400)
        return HttpResponseRedirect(reverse("reflections:answer", kwargs={"pk": self.object.pk}) + f"?lang={language}")

    def _page(
        self,
        *,
        language: str,
        values: dict[str, Any],
        draft: Any = None,
        errors: ApplicationError | None = None,
        status: int = 200,
    ) -> HttpResponse:
        administration = self.object
        completion = selectors.completion_for(administration=administration, participant=self.participant)
        state = services.administration_state(administration=administration)
        own: dict[str, Any] = {}
        if completion is not None and completion.response is not None:
            # Only a named questionnaire links the response: an anonymous one's cannot be told apart.
            own = selectors.response_answers(response=completion.response)
        field_errors = errors.field_errors if errors is not None else {}
        context = {
            "administration": administration,
            "questionnaire": administration.questionnaire,
            "questions": selectors.question_views(
                administration=administration, language=language, values=own or values, errors=field_errors
            ),
            "field_errors": field_errors,
            "general_errors": field_errors.get("__all__", []) + ([errors.message] if errors and errors.message else []),
            "state": state,
            "completion": completion,
            "draft": draft,
            "language": language,
            "languages": settings.LANGUAGES,
            "editable": state == "open" and completion is None,
            "text_max": services.TEXT_MAX_LENGTH,
            "now": timezone.now(),
        }
        return render(self.request, self.template_name, context, status=status)


class DraftAutosaveView(AnswerMixin, View):
    """htmx: the form posted on change; answers with a one-line status either way (htmx swaps only 2xx)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        language = language_for(request, participant=self.participant)
        questions = selectors.question_views(administration=self.object, language=language)
        try:
            draft = services.draft_save(
                administration=self.object,
                participant=self.participant,
                answers=answers_from_post(request.POST, questions),
                language=language,
            )
        except ApplicationError as error:
            context = {"error": True, "messages_": [*error.field_errors.get("__all__", []), error.message]}
            return render(request, "reflections/_draft_status.html", context)
        return render(request, "reflections/_draft_status.html", {"draft": draft})
