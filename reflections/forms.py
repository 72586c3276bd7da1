"""Forms of the questionnaire builder and of giving a questionnaire; each hands one service its input."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.tabular import FORMATS, size_error
from reflections import selectors
from reflections.models import Administration, Question, Questionnaire
from reflections.services import ChoiceInput, QuestionInput
from reflections.services.questionnaires import TRANSLATED_QUESTION_FIELDS


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ("title", "introduction", "is_anonymous", "is_template", "language", "exercise")
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, exercises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if exercises is not None:
            self.fields["exercise"].queryset = exercises  # type: ignore[attr-defined]
        self.fields["is_anonymous"].help_text = _(
            "Anonymous: answers keep no link to the person. People are told which kind it is before they answer."
        )


class DuplicateForm(forms.Form):
    title = forms.CharField(label=_("Title of the copy"), max_length=200)
    is_template = forms.BooleanField(label=_("Make the copy a template"), required=False)


def _parse_choice_lines(text: str) -> list[ChoiceInput]:
    choices = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, label = line.partition("=")
        if sep and key.strip() and " " not in key.strip():
            choices.append(ChoiceInput(key=key.strip(), label=label.strip()))
        else:
            choices.append(ChoiceInput(label=line))
    return choices


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000)
    help_text = forms.CharField(label=_("Help text"), required=False, max_length=255)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    objective = forms.ModelChoiceField(
        label=_("Learning objective"), queryset=selectors.objective_choices(), required=False
    )
    scale_max = forms.TypedChoiceField(
        label=_("Scale points"),
        choices=[("", "–"), ("5", "1–5"), ("7", "1–7")],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For a scale question."),
    )
    low_label = forms.CharField(label=_("Label of the lowest point"), required=False, max_length=80)
    high_label = forms.CharField(label=_("Label of the highest point"), required=False, max_length=80)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For single and multiple choice: one per line. A key is made from each label; write "
            "“key=label” to keep a key of your own (answers are stored by key)."
        ),
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "objective": question.objective_id,
            "scale_max": question.scale_max,
            "low_label": question.low_label,
            "high_label": question.high_label,
            "choices": "\n".join(f"{c.key}={c.label}" for c in question.choices.all()),
        }

    def service_input(self, *, translations: dict[str, dict[str, str]] | None = None) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            kind=data["kind"],
            text=data["text"],
            help_text=data["help_text"],
            required=data["required"],
            objective=data["objective"],
            scale_max=data["scale_max"],
            low_label=data["low_label"],
            high_label=data["high_label"],
            choices=_parse_choice_lines(data["choices"]),
            translations=translations or {},
        )


def translation_field_name(kind: str, pk: int, lang: str, name: str = "") -> str:
    return f"{kind}_{pk}_{lang}" + (f"_{name}" if name else "")


class TranslationsForm(forms.Form):
    """One field per question's translatable text and choice label, per language other than the questionnaire's."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = [(code, name) for code, name in settings.LANGUAGES if code != questionnaire.language]
        self.questions = questions
        self.rows: list[dict[str, Any]] = []
        for question in questions:
            for name in TRANSLATED_QUESTION_FIELDS:
                original = getattr(question, name)
                if not original:
                    continue  # nothing to translate
                cells = []
                for code, language in self.languages:
                    field_name = translation_field_name("q", question.pk, code, name)
                    self.fields[field_name] = forms.CharField(
                        label=f"{language}",
                        required=False,
                        max_length=10_000 if name == "text" else 255,
                        initial=(question.translations or {}).get(code, {}).get(name, ""),
                    )
                    cells.append(self[field_name])
                self.rows.append({"question": question, "original": original, "cells": cells})
            for choice in question.choices.all():
                cells = []
                for code, language in self.languages:
                    field_name = translation_field_name("c", choice.pk, code)
                    self.fields[field_name] = forms.CharField(
                        label=f"{language}",
                        required=False,
                        max_length=200,
                        initial=(choice.translations or {}).get(code, ""),
                    )
                    cells.append(self[field_name])
                self.rows.append({"question": question, "original": choice.label, "cells": cells, "choice": True})

    def service_input(self) -> tuple[dict[int, dict[str, dict[str, str]]], dict[int, dict[str, str]]]:
        questions: dict[int, dict[str, dict[str, str]]] = {}
        choices: dict[int, dict[str, str]] = {}
        for question in self.questions:
            merged = {lang: dict(values) for lang, values in (question.translations or {}).items()}
            for code, _language in self.languages:
                for name in TRANSLATED_QUESTION_FIELDS:
                    field_name = translation_field_name("q", question.pk, code, name)
                    if field_name in self.cleaned_data:
                        merged.setdefault(code, {})[name] = self.cleaned_data[field_name]
            questions[question.pk] = merged
            for choice in question.choices.all():
                labels = dict(choice.translations or {})
                for code, _language in self.languages:
                    field_name = translation_field_name("c", choice.pk, code)
                    if field_name in self.cleaned_data:
                        labels[code] = self.cleaned_data[field_name]
                choices[choice.pk] = labels
        return questions, choices


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Questions file"),
        help_text=_(
            "A .csv or .xlsx file with one row per question (columns: order, kind, text, help_text, required, "
            "objective, scale_points, low_label, high_label, choices, text_<language>…), e.g. one exported here."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the questions"),
        required=False,
        help_text=_("Otherwise the file's questions are added after the existing ones."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CONCORD_MAX_UPLOAD_BYTES
        # Refused before it is read into memory.
        if upload.size > limit:
            raise forms.ValidationError(size_error(size=upload.size, limit=limit))
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS], initial="csv")


class AdministrationForm(forms.ModelForm):
    class Meta:
        model = Administration
        fields = ("questionnaire", "stage", "opens_at", "closes_at", "min_respondents", "remind_after_hours")
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: Any, questionnaires: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["questionnaire"]
        elif questionnaires is not None:
            self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates the whole administration (and writes its reminders); not the model form.
        pass

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "questionnaire"}
