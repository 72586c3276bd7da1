"""The admin shows questionnaires and where they are given. Drafts are not registered: they name the person
while they answer, and nobody reads an answer before it is submitted. Responses are listed without their
completions, so the admin links no answer to a person either."""

from django.contrib import admin

from reflections.models import Administration, Answer, Choice, Completion, Question, Questionnaire, Response


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "is_anonymous", "is_template", "language", "exercise"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "order", "kind", "text"]
    list_select_related = ["questionnaire"]
    inlines = [ChoiceInline]


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "cohort", "run", "stage", "opens_at", "closes_at"]
    list_select_related = ["questionnaire", "cohort", "run__exercise"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["administration", "submitted_on", "source"]
    list_select_related = ["administration__questionnaire", "administration__cohort"]
    # The team beside the answers would name a small team's respondents (tests/test_reflection_anonymity.py).
    exclude = ["team"]
    inlines = [AnswerInline]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["administration", "participant", "completed_at"]
    list_select_related = ["administration__questionnaire", "participant__user"]
    exclude = ["response"]
