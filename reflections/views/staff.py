"""The facilitators' side of answering: response rate (live), reminders now, paper answers, the blank PDF."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from reflections import pdf, selectors, services
from reflections.models import Administration
from reflections.views.answering import LANGUAGE_CODES, answers_from_post


class StaffMixin(ObjectPermissionMixin):
    """Coordinators and the cohort's facilitators; its members get 403, everyone else 404."""

    permission_required = "reflections.follow_administration"
    object: Administration

    def get_permission_queryset(self) -> QuerySet[Administration]:
        return selectors.administration_queryset(user=self.request.user)


class ProgressView(StaffMixin, View):
    """Who has answered, as counts; the figure refreshes itself every few seconds (htmx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = {
            "administration": self.object,
            "questionnaire": self.object.questionnaire,
            "progress": selectors.administration_progress(administration=self.object),
            "state": services.administration_state(administration=self.object),
            "languages": settings.LANGUAGES,
        }
        return render(request, "reflections/administration_progress.html", context)


class ProgressRateView(StaffMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        progress = selectors.administration_progress(administration=self.object)
        return render(request, "reflections/_progress_rate.html", {"administration": self.object, "progress": progress})


class RemindNowView(StaffMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            reminder = services.reminder_send_now(administration=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = reminder.deliveries.count()
            message = _("Reminder sent to %(count)d people who have not answered yet.") % {"count": count}
            messages.success(request, message)
        return HttpResponseRedirect(reverse("reflections:administration_progress", kwargs={"pk": self.object.pk}))


class PaperPersonForm(forms.Form):
    participant = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Whose sheet is it?"),
        help_text=gettext_lazy("A named questionnaire: choose the person; they are then counted as having answered."),
    )

    def __init__(self, *args: object, administration: Administration, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["participant"].queryset = selectors.member_choices(administration=administration)  # type: ignore[attr-defined]


class PaperEntryView(StaffMixin, View):
    """Type in one paper sheet at a time; an anonymous sheet names nobody."""

    permission_required = "reflections.enter_paper_answers"
    template_name = "reflections/paper_entry.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(values={}, errors={}, person_form=self._person_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        language = self._language()
        questions = selectors.question_views(administration=self.object, language=language)
        answers = answers_from_post(request.POST, questions)
        person_form = self._person_form(request.POST)
        if person_form is not None and not person_form.is_valid():
            return self._page(values=answers, errors={}, person_form=person_form, status=400)
        try:
            services.paper_response_enter(
                administration=self.object,
                by=acting_user(request),
                answers=answers,
                participant=person_form.cleaned_data.get("participant") if person_form is not None else None,
            )
        except ApplicationError as error:
            if person_form is not None:
                for message in error.field_errors.get("participant", []):
                    person_form.add_error("participant", message)
            return self._page(values=answers, errors=error.field_errors, person_form=person_form, error=error)
        messages.success(request, _("The paper answers are saved. Type in the next sheet."))
        return HttpResponseRedirect(reverse("reflections:paper_entry", kwargs={"pk": self.object.pk}))

    def _person_form(self, data: object = None) -> PaperPersonForm | None:
        if self.object.questionnaire.is_anonymous:
            return None
        return PaperPersonForm(data, administration=self.object)

    def _language(self) -> str:
        asked = self.request.GET.get("lang", "")
        return asked if asked in LANGUAGE_CODES else self.object.questionnaire.language

    def _page(
        self,
        *,
        values: dict,
        errors: dict,
        person_form: PaperPersonForm | None,
        error: ApplicationError | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "administration": self.object,
            "questionnaire": self.object.questionnaire,
            "questions": selectors.question_views(
                administration=self.object, language=self._language(), values=values, errors=errors
            ),
            "person_form": person_form,
            "text_max": services.TEXT_MAX_LENGTH,
            "general_errors": [*errors.get("__all__", []), *([error.message] if error and error.message else [])],
            "progress": selectors.administration_progress(administration=self.object),
        }
        return render(self.request, self.template_name, context, status=400 if error else status)


class BlankPdfView(StaffMixin, View):
    """The questionnaire printed blank, in a chosen language (``?lang=``), for a paper session."""

    permission_required = "reflections.enter_paper_answers"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        administration = self.object
        asked = request.GET.get("lang", "")
        language = asked if asked in LANGUAGE_CODES else administration.questionnaire.language
        views = selectors.question_views(administration=administration, language=language)
        questionnaire = administration.questionnaire
        with translation.override(language):
            labels = pdf.BlankLabels(
                required=_("required"),
                yes=_("Yes"),
                no=_("No"),
                anonymity=_("Anonymous: do not write your name on this sheet.")
                if questionnaire.is_anonymous
                else _("Named: write your name here: ______________________________"),
                page=_("Page"),
            )
            run_name = administration.run.exercise.name if administration.run else ""
            subtitle = " · ".join(part for part in (administration.cohort.name, run_name) if part)
        body = pdf.blank_questionnaire_pdf(
            title=questionnaire.title,
            introduction=questionnaire.introduction,
            subtitle=subtitle,
            questions=[
                pdf.BlankQuestion(
                    kind=view.kind,
                    text=view.text,
                    help_text=view.help_text,
                    required=view.required,
                    points=view.question.scale_max or 0,
                    low_label=view.low_label,
                    high_label=view.high_label,
                    choices=[choice.label for choice in view.choices],
                )
                for view in views
            ],
            labels=labels,
        )
        return FileResponse(
            io.BytesIO(body),
            content_type="application/pdf",
            filename=f"questionnaire-{administration.pk}-{language}.pdf",
        )
