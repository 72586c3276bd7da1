from django.contrib import admin

from reflections.models import Answer, Completion, Question, Questionnaire, Response


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "is_anonymous", "exercise"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "cohort", "run", "submitted_on"]
    inlines = [AnswerInline]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "participant", "cohort", "completed_at"]
    list_select_related = ["questionnaire", "participant__user", "cohort"]
