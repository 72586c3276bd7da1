"""The questionnaire builder: list, create, settings, questions one at a time (phone-sized), order,
translations, copies, and the questions as a CSV/XLSX table."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.tabular import FORMATS
from core.views import ObjectPermissionMixin
from exercises.models import Exercise
from reflections import selectors, services
from reflections.forms import DuplicateForm, QuestionForm, QuestionImportForm, QuestionnaireForm, TranslationsForm
from reflections.models import Question, Questionnaire
from reflections.views import form_error


def _detail(questionnaire: Questionnaire) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("reflections:questionnaire_detail", kwargs={"pk": questionnaire.pk}))


class QuestionnaireObjectMixin(ObjectPermissionMixin):
    object: Questionnaire

    def get_permission_queryset(self) -> QuerySet[Questionnaire]:
        return selectors.questionnaire_queryset(user=self.request.user)


class QuestionnaireListView(LoginRequiredMixin, View):
    """Everyone signed in; lists what they may see (facilitators and coordinators build, others see none)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        questionnaires = list(selectors.questionnaire_queryset(user=request.user))
        context = {
            "templates": [q for q in questionnaires if q.is_template],
            "questionnaires": [q for q in questionnaires if not q.is_template],
            "can_add": request.user.has_perm("reflections.add_questionnaire"),
        }
        return render(request, "reflections/questionnaire_list.html", context)


class QuestionnaireCreateView(LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not request.user.has_perm("reflections.add_questionnaire"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _exercises(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user).order_by("name")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = QuestionnaireForm(exercises=self._exercises())
        return render(request, "reflections/questionnaire_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = QuestionnaireForm(request.POST, exercises=self._exercises())
        if form.is_valid():
            try:
                questionnaire = services.questionnaire_create(by=acting_user(request), data=form.cleaned_data)
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Questionnaire created; now add its questions."))
                return _detail(questionnaire)
        return render(request, "reflections/questionnaire_form.html", {"form": form}, status=400)


class QuestionnaireDetailView(QuestionnaireObjectMixin, View):
    permission_required = "reflections.view_questionnaire"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = self.object
        context = {
            "questionnaire": questionnaire,
            "questions": selectors.question_list(questionnaire=questionnaire),
            "can_change": request.user.has_perm("reflections.change_questionnaire", questionnaire),
            "can_delete": request.user.has_perm("reflections.delete_questionnaire", questionnaire),
            "can_copy": request.user.has_perm("reflections.add_questionnaire"),
            "has_answers": services.questionnaire_has_answers(questionnaire=questionnaire),
            "formats": FORMATS,
            "delimiters": export_delimiter_choices(user=acting_user(request)),
        }
        return render(request, "reflections/questionnaire_detail.html", context)


class QuestionnaireEditView(QuestionnaireObjectMixin, View):
    permission_required = "reflections.change_questionnaire"

    def _form(self, data: Any = None) -> QuestionnaireForm:
        exercises = Exercise.objects.visible_to(self.request.user).order_by("name")
        if self.object.exercise_id:
            exercises = (exercises | Exercise.objects.filter(pk=self.object.exercise_id)).distinct()
        return QuestionnaireForm(data, instance=self.object, exercises=exercises)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        original = Questionnaire.objects.get(pk=self.object.pk)  # the form writes its input onto its instance
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.questionnaire_update(questionnaire=original, by=acting_user(request), data=form.cleaned_data)
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Questionnaire saved."))
                return _detail(original)
        return self._page(form, status=400)

    def _page(self, form: QuestionnaireForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object}
        return render(self.request, "reflections/questionnaire_form.html", context, status=status)


class QuestionnaireDeleteView(QuestionnaireObjectMixin, View):
    permission_required = "reflections.delete_questionnaire"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "reflections/questionnaire_delete.html", {"questionnaire": self.object})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.questionnaire_delete(questionnaire=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
            return _detail(self.object)
        messages.success(request, _("Questionnaire deleted."))
        return HttpResponseRedirect(reverse("reflections:questionnaire_list"))


class QuestionnaireDuplicateView(QuestionnaireObjectMixin, View):
    """New from a template, or a copy of any questionnaire one sees (for facilitators and coordinators)."""

    permission_required = "reflections.view_questionnaire"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check()
        title = self.object.title if self.object.is_template else _("Copy of %(title)s") % {"title": self.object.title}
        return self._page(DuplicateForm(initial={"title": title[:200]}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check()
        form = DuplicateForm(request.POST)
        if form.is_valid():
            try:
                copy = services.questionnaire_duplicate(
                    questionnaire=self.object,
                    by=acting_user(request),
                    title=form.cleaned_data["title"],
                    is_template=form.cleaned_data["is_template"],
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Copied with its questions and translations."))
                return _detail(copy)
        return self._page(form, status=400)

    def _check(self) -> None:
        if not self.request.user.has_perm("reflections.add_questionnaire"):
            raise PermissionDenied

    def _page(self, form: DuplicateForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object}
        return render(self.request, "reflections/questionnaire_duplicate.html", context, status=status)


class QuestionObjectMixin(QuestionnaireObjectMixin):
    """A page about one question of a questionnaire the user may change."""

    permission_required = "reflections.change_questionnaire"

    def load_question(self) -> Question:
        """The question among the questionnaire's (404 otherwise), once the questionnaire was allowed."""
        question = (
            Question.objects.filter(questionnaire=self.object, pk=self.kwargs["question_pk"])
            .prefetch_related("choices")
            .first()
        )
        if question is None:
            raise Http404
        return question


class QuestionCreateView(QuestionObjectMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(QuestionForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.question_create(questionnaire=self.object, by=acting_user(request), data=form.service_input())
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Question added."))
                if "another" in request.POST:
                    return HttpResponseRedirect(request.path)
                return _detail(self.object)
        return self._page(form, status=400)

    def _page(self, form: QuestionForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object, "question": None}
        return render(self.request, "reflections/question_form.html", context, status=status)


class QuestionEditView(QuestionObjectMixin, View):
    def get(self, request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
        question = self.load_question()
        return self._page(QuestionForm(initial=QuestionForm.initial_for(question)), question)

    def post(self, request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
        question = self.load_question()
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.question_update(
                    question=question,
                    by=acting_user(request),
                    data=form.service_input(translations=question.translations),
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Question saved."))
                return _detail(self.object)
        return self._page(form, question, status=400)

    def _page(self, form: QuestionForm, question: Question, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object, "question": question}
        return render(self.request, "reflections/question_form.html", context, status=status)


class QuestionDeleteView(QuestionObjectMixin, View):
    def get(self, request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
        context = {"questionnaire": self.object, "question": self.load_question()}
        return render(request, "reflections/question_delete.html", context)

    def post(self, request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
        try:
            services.question_delete(question=self.load_question(), by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
        else:
            messages.success(request, _("Question deleted."))
        return _detail(self.object)


class QuestionMoveView(QuestionObjectMixin, View):
    """POST ``direction=up|down``: the question swaps places with its neighbour."""

    def post(self, request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
        question = self.load_question()
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            messages.error(request, _("Choose up or down."))
        else:
            services.question_move(question=question, by=acting_user(request), up=direction == "up")
        response = _detail(self.object)
        response["Location"] += f"#question-{question.pk}"
        return response


class QuestionnaireTranslationsView(QuestionnaireObjectMixin, View):
    """One column per language other than the questionnaire's, one row per text to translate."""

    permission_required = "reflections.change_questionnaire"

    def _form(self, data: Any = None) -> TranslationsForm:
        questions = selectors.question_list(questionnaire=self.object)
        return TranslationsForm(data, questionnaire=self.object, questions=questions)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            questions, choices = form.service_input()
            try:
                services.questionnaire_translations_save(
                    questionnaire=self.object, by=acting_user(request), questions=questions, choices=choices
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Translations saved."))
                return _detail(self.object)
        return self._page(form, status=400)

    def _page(self, form: TranslationsForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object}
        return render(self.request, "reflections/questionnaire_translations.html", context, status=status)


class QuestionnaireImportView(QuestionnaireObjectMixin, View):
    permission_required = "reflections.change_questionnaire"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(QuestionImportForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = QuestionImportForm(request.POST, request.FILES)
        cells: list[Any] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = services.questions_import(
                    questionnaire=self.object,
                    by=acting_user(request),
                    content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
                    filename=upload.name or "questions.csv",
                    size=upload.size,
                    replace=form.cleaned_data["replace"],
                )
            except services.QuestionImportError as error:
                cells = error.cells
                form.add_error("file", _("Nothing was imported: correct the cells below and upload the file again."))
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("%(count)s questions imported.") % {"count": len(created)})
                return _detail(self.object)
        return self._page(form, cells=cells, status=400)

    def _page(self, form: QuestionImportForm, cells: list[Any] | None = None, status: int = 200) -> HttpResponse:
        context = {"form": form, "questionnaire": self.object, "cells": cells or []}
        return render(self.request, "reflections/questionnaire_import.html", context, status=status)


class QuestionnaireExportView(QuestionnaireObjectMixin, View):
    """``?format=csv|xlsx`` (CSV by default) and ``?delimiter=comma|semicolon`` (remembered)."""

    permission_required = "reflections.view_questionnaire"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fmt = request.GET.get("format", "csv")
        if fmt not in FORMATS:
            raise Http404
        try:
            delimiter = export_delimiter(user=acting_user(request), requested=request.GET.get("delimiter"))
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(error.messages))
            return _detail(self.object)
        return services.questions_response(questionnaire=self.object, fmt=fmt, delimiter=delimiter)
