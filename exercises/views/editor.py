"""The exercise editor: the exercise's own fields, then its phases, teams, cell roles and injects, one page
(one URL) per section under ``/exercises/<slug>/edit/``.

Each page saves its section through ``exercises.services.exercise_update``, the only writer: a plan page
sends the whole plan, its own part from the form and the other parts as saved (references follow renumbered
rows by id), so the service validates all of it and saves all or nothing. The rows have no blank extra
forms: "Add", "Move up" and "Move down" are submit buttons that re-render the page with the click applied
(``exercises.forms.editor``) and that ``static/js/editor.js`` does in the page instead. Permissions are the
authoring pages' own: 404 for an exercise the user cannot see, 403 without ``exercises.change_exercise``.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.forms import BaseForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.exceptions import ApplicationError
from core.forms import add_service_errors
from exercises import selectors, services
from exercises.forms.editor import ACTION, SAVE, editor_action, editor_data, row_order
from exercises.forms.exercises import ExerciseForm, objective_choices
from exercises.forms.plans import (
    MAX_PLAN_ROWS,
    NUMBER_FIELDS,
    PREFIXES,
    add_plan_errors,
    exercise_plan_from_formsets,
    plan_formset,
)
from exercises.models import Exercise
from exercises.plans import ExercisePlan, plan_error_location
from exercises.views.authoring import ExerciseObjectMixin
from trainings.models import LearningObjective


@dataclass(frozen=True)
class Section:
    key: str  # "exercise" or a part of the plan
    url_name: str
    title: Promise


SECTIONS = (
    Section("exercise", "exercises:exercise_update", gettext_lazy("The exercise")),
    Section("phases", "exercises:exercise_edit_phases", gettext_lazy("Phases")),
    Section("team_roles", "exercises:exercise_edit_teams", gettext_lazy("Teams")),
    Section("cell_roles", "exercises:exercise_edit_cell_roles", gettext_lazy("Cell roles")),
    Section("injects", "exercises:exercise_edit_injects", gettext_lazy("Injects")),
)
_SECTION = {s.key: s for s in SECTIONS}


def _objectives(exercise: Exercise | None) -> list[LearningObjective]:
    """Active objectives, and retired ones only where the exercise already has them."""
    linked: list[int] = []
    if exercise is not None:
        linked = list(
            LearningObjective.objects.filter(Q(exercises=exercise) | Q(injects__exercise=exercise)).values_list(
                "pk", flat=True
            )
        )
    return objective_choices(linked_ids=linked)


class _EditorPage(TemplateView):
    extra_context = {"section": "exercises"}
    editor_section = "exercise"
    exercise: Exercise | None = None

    def editor_context(self) -> dict[str, Any]:
        exercise = self.exercise
        counts = selectors.exercise_editor_counts(exercise=exercise) if exercise is not None else {}
        tabs = [
            {
                "key": s.key,
                "title": s.title,
                "url": reverse(s.url_name, kwargs={"slug": exercise.slug}) if exercise is not None else "",
                "count": counts.get(s.key),
                "current": s.key == self.editor_section,
            }
            for s in SECTIONS
        ]
        return {"exercise": exercise, "tabs": tabs, "editor_section": self.editor_section}

    def section_url(self) -> str:
        assert self.exercise is not None
        return reverse(_SECTION[self.editor_section].url_name, kwargs={"slug": self.exercise.slug})


def _form_error_summary(form: BaseForm, *, where: str = "") -> list[dict[str, str]]:
    """Links to the fields with problems, for the summary at the top of the page."""
    summary = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if field is None or name == "__all__":
            label, href = where, ""
        else:
            label = _("%(row)s, %(field)s") % {"row": where, "field": field.label} if where else str(field.label)
            href = f"#{form[name].auto_id}"
        for error in errors:
            summary.append({"href": href, "label": label, "message": str(error)})
    return summary


# --- the exercise's own fields ------------------------------------------------------------------


class _ExerciseFieldsView(_EditorPage):
    template_name = "exercises/exercise_form.html"

    def _form(self, data: Any) -> ExerciseForm:
        initial = {}
        if self.exercise is not None:
            initial = {name: getattr(self.exercise, name) for name in services.EXERCISE_FIELDS}
            initial["learning_objectives"] = [o.pk for o in self.exercise.learning_objectives.all()]
        return ExerciseForm(
            data, initial=initial, objectives=_objectives(self.exercise), editing=self.exercise is not None
        )

    def _render(self, form: ExerciseForm) -> HttpResponse:
        context = self.get_context_data(form=form, **self.editor_context())
        if form.is_bound:
            context["error_summary"] = _form_error_summary(form)
        if self.exercise is not None:
            context["plan_warnings"] = selectors.exercise_plan_warnings(exercise=self.exercise)
        return self.render_to_response(context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._form(None))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            exercise = self.save(form.service_data())
        except ApplicationError as error:
            if self.exercise is not None:
                # The service set the refused values on it: show the page from the saved exercise.
                self.exercise = selectors.exercise_get(user=request.user, slug=self.kwargs["slug"])
            add_service_errors(form, error)
            return self._render(form)
        return self.saved(exercise)

    def save(self, data: dict[str, Any]) -> Exercise:
        raise NotImplementedError

    def saved(self, exercise: Exercise) -> HttpResponse:
        messages.success(self.request, _("“%(name)s” was saved.") % {"name": exercise.name})
        return HttpResponseRedirect(reverse("exercises:exercise_update", kwargs={"slug": exercise.slug}))


class ExerciseCreateView(PermissionRequiredMixin, _ExerciseFieldsView):
    """A new exercise: its own fields first; its plan is edited on the next pages."""

    permission_required = "exercises.add_exercise"

    def save(self, data: dict[str, Any]) -> Exercise:
        return services.exercise_create(**data)

    def saved(self, exercise: Exercise) -> HttpResponse:
        messages.success(self.request, _("“%(name)s” was saved. Now add its phases.") % {"name": exercise.name})
        return HttpResponseRedirect(reverse("exercises:exercise_edit_phases", kwargs={"slug": exercise.slug}))


class ExerciseUpdateView(ExerciseObjectMixin, _ExerciseFieldsView):
    permission_required = "exercises.change_exercise"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        return super().post(request, *args, **kwargs)

    def save(self, data: dict[str, Any]) -> Exercise:
        assert self.exercise is not None
        return services.exercise_update(exercise=self.exercise, data=data)


# --- one part of the plan ------------------------------------------------------------------------


def _value(form: BaseForm, name: str) -> Any:
    value = form[name].value()
    return "" if value is None else value


def _row_heading(part: str, form: BaseForm) -> tuple[str, str]:
    """The row's summary line from what the form holds now: its name, and its time or kind."""
    saved = form.instance.pk is not None  # type: ignore[attr-defined]
    if part == "phases":
        number, name, minutes = _value(form, "order"), _value(form, "name"), _value(form, "planned_minutes")
        if name:
            title = _("Phase %(number)s: %(name)s") % {"number": number, "name": name}
        else:
            title = _("Phase %(number)s") % {"number": number} if saved else _("New phase")
        return title, _("%(minutes)s min") % {"minutes": minutes} if minutes != "" else ""
    if part == "team_roles":
        number, name = _value(form, "number"), _value(form, "name")
        if name:
            title = _("Team %(number)s: %(name)s") % {"number": number, "name": name}
        else:
            title = _("Team %(number)s") % {"number": number} if saved else _("New team")
        return title, _("mixed") if form["mixed"].value() else ""
    if part == "cell_roles":
        name = str(_value(form, "name"))
        return name or (str(form.instance) if saved else _("New cell role")), ""  # type: ignore[attr-defined]
    number, name = _value(form, "number"), _value(form, "title")
    if name:
        title = _("Inject %(number)s: %(title)s") % {"number": number, "title": name}
    else:
        title = _("Inject %(number)s") % {"number": number} if saved else _("New inject")
    phase, minute = _value(form, "phase_number"), _value(form, "minute_offset")
    if phase == "":
        return title, _("no phase")
    return title, _("phase %(phase)s, minute %(minute)s") % {"phase": phase, "minute": minute}


class _PlanPartView(ExerciseObjectMixin, _EditorPage):
    template_name = "exercises/exercise_plan_form.html"
    permission_required = "exercises.change_exercise"
    part = ""

    def _formset(self, data: Any) -> BaseInlineFormSet:
        self.objectives = _objectives(self.exercise) if self.part == "injects" else []
        return plan_formset(part=self.part, exercise=self.object, data=data, objectives=self.objectives, extra=0)

    def _rows(self, formset: BaseInlineFormSet, *, data: Any, focus: int | None, action: str) -> list[dict[str, Any]]:
        prefix, number_field = PREFIXES[self.part], NUMBER_FIELDS[self.part]
        order = row_order(data, prefix=prefix, number_field=number_field, count=len(formset.forms))
        rows = []
        for index in order:
            form = formset.forms[index]
            title, meta = _row_heading(self.part, form)
            new = form.instance.pk is None
            removed = bool(form.is_bound and form["DELETE"].value())
            rows.append(
                {
                    "form": form,
                    "index": index,
                    "title": title,
                    "meta": meta,
                    "new": new,
                    "removed": removed,
                    "open": not removed and (new or bool(form.is_bound and form.errors)),
                    "focus": action if index == focus else "",
                }
            )
        return rows

    def _render(
        self,
        formset: BaseInlineFormSet,
        *,
        data: Any = None,
        preview: bool = False,
        focus: int | None = None,
        action: str = "",
        elsewhere: list[dict[str, str]] | None = None,
    ) -> HttpResponse:
        rows = self._rows(formset, data=data, focus=focus, action=action)
        summary: list[dict[str, str]] = []
        if formset.is_bound:
            summary += [
                {"href": "#editor-rows", "label": str(_SECTION[self.part].title), "message": str(e)}
                for e in formset.non_form_errors()
            ]
            for row in rows:
                if not row["removed"]:
                    summary += _form_error_summary(row["form"], where=row["title"])
            summary += elsewhere or []
        context = self.get_context_data(
            formset=formset,
            rows=rows,
            empty_row={
                "form": formset.empty_form,
                "index": "__prefix__",
                "title": _row_heading(self.part, formset.empty_form)[0],
                "open": True,
            },
            formset_title=_SECTION[self.part].title,
            part=self.part,
            number_field=NUMBER_FIELDS[self.part],
            preview=preview,
            error_summary=summary,
            action_name=ACTION,
            **self.editor_context(),
        )
        if self.part == "phases":
            context["plan_warnings"] = selectors.exercise_plan_warnings(exercise=self.object)
        if self.part == "injects":
            context["reference"] = services.exercise_plan_of(exercise=self.object)
        return self.render_to_response(context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        return self._render(self._formset(None))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.exercise = self.object
        action, index = editor_action(request.POST)
        if action != SAVE:
            data = editor_data(
                request.POST,
                prefix=PREFIXES[self.part],
                number_field=NUMBER_FIELDS[self.part],
                action=action,
                index=index,
                max_rows=MAX_PLAN_ROWS,
                empty_form=self._formset(None).empty_form,
            )
            formset = self._formset(data)
            focus = len(formset.forms) - 1 if action == "add" else index
            return self._render(formset, data=data, preview=True, focus=focus, action=action)
        formset = self._formset(request.POST)
        if not formset.is_valid():
            return self._render(formset, data=request.POST)
        # The other parts as they are now, read in this request: only this part comes from the page.
        saved = services.exercise_plan_of(exercise=self.object)
        form_plan = exercise_plan_from_formsets(
            {self.part: formset}, objectives={o.pk: o for o in self.objectives}, saved=saved
        )
        try:
            services.exercise_update(exercise=self.object, data={}, plan=form_plan.plan)
        except ApplicationError as error:
            elsewhere = add_plan_errors(
                error.message_dict, form=None, formsets={self.part: formset}, form_plan=form_plan
            )
            return self._render(formset, data=request.POST, elsewhere=self._elsewhere(elsewhere, form_plan.plan))
        messages.success(
            request,
            _("%(section)s of “%(name)s” saved.") % {"section": _SECTION[self.part].title, "name": self.object.name},
        )
        return HttpResponseRedirect(self.section_url())

    def _elsewhere(self, errors: dict[str, list[str]], plan: ExercisePlan) -> list[dict[str, str]]:
        """The service's problems that lie in another section: named, with a link to that section."""
        summary = []
        for key, messages_ in errors.items():
            part, index, _field = plan_error_location(key)
            section = _SECTION.get(part, _SECTION["exercise"])
            label = str(section.title)
            if index is not None:
                if part == "phases":
                    label = _("Phase %(number)s") % {"number": plan.phases[index].order}
                elif part == "team_roles":
                    label = _("Team %(number)s") % {"number": plan.team_roles[index].number}
                elif part == "cell_roles" and plan.cell_roles is not None:
                    label = plan.cell_roles[index].name
                elif part == "injects":
                    label = _("Inject %(number)s") % {"number": plan.injects[index].number}
            url = reverse(section.url_name, kwargs={"slug": self.object.slug})
            summary += [{"href": url, "label": label, "message": str(m)} for m in messages_]
        return summary


class ExercisePhasesEditView(_PlanPartView):
    part = editor_section = "phases"


class ExerciseTeamsEditView(_PlanPartView):
    part = editor_section = "team_roles"


class ExerciseCellRolesEditView(_PlanPartView):
    part = editor_section = "cell_roles"


class ExerciseInjectsEditView(_PlanPartView):
    part = editor_section = "injects"
