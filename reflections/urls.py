from django.urls import path

from reflections.views import administrations, answering, questionnaires, results, staff

app_name = "reflections"

urlpatterns = [
    # The questionnaire builder.
    path("reflections/", questionnaires.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("reflections/new/", questionnaires.QuestionnaireCreateView.as_view(), name="questionnaire_create"),
    path("reflections/<int:pk>/", questionnaires.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("reflections/<int:pk>/edit/", questionnaires.QuestionnaireEditView.as_view(), name="questionnaire_edit"),
    path("reflections/<int:pk>/delete/", questionnaires.QuestionnaireDeleteView.as_view(), name="questionnaire_delete"),
    path(
        "reflections/<int:pk>/duplicate/",
        questionnaires.QuestionnaireDuplicateView.as_view(),
        name="questionnaire_duplicate",
    ),
    path(
        "reflections/<int:pk>/translations/",
        questionnaires.QuestionnaireTranslationsView.as_view(),
        name="questionnaire_translations",
    ),
    path("reflections/<int:pk>/import/", questionnaires.QuestionnaireImportView.as_view(), name="questionnaire_import"),
    path("reflections/<int:pk>/export/", questionnaires.QuestionnaireExportView.as_view(), name="questionnaire_export"),
    path("reflections/<int:pk>/questions/new/", questionnaires.QuestionCreateView.as_view(), name="question_create"),
    path(
        "reflections/<int:pk>/questions/<int:question_pk>/edit/",
        questionnaires.QuestionEditView.as_view(),
        name="question_edit",
    ),
    path(
        "reflections/<int:pk>/questions/<int:question_pk>/delete/",
        questionnaires.QuestionDeleteView.as_view(),
        name="question_delete",
    ),
    path(
        "reflections/<int:pk>/questions/<int:question_pk>/move/",
        questionnaires.QuestionMoveView.as_view(),
        name="question_move",
    ),
    # Giving questionnaires to a cohort or a run.
    path(
        "cohorts/<slug:slug>/reflections/", administrations.CohortReflectionsView.as_view(), name="cohort_reflections"
    ),
    path("runs/<int:pk>/reflections/", administrations.RunReflectionsView.as_view(), name="run_reflections"),
    path(
        "reflections/administrations/<int:pk>/edit/",
        administrations.AdministrationEditView.as_view(),
        name="administration_edit",
    ),
    path(
        "reflections/administrations/<int:pk>/close/",
        administrations.AdministrationCloseView.as_view(),
        name="administration_close",
    ),
    path(
        "reflections/administrations/<int:pk>/delete/",
        administrations.AdministrationDeleteView.as_view(),
        name="administration_delete",
    ),
    # Answering, paper answers and progress.
    path("reflections/answer/<int:pk>/", answering.AnswerView.as_view(), name="answer"),
    path("reflections/answer/<int:pk>/draft/", answering.DraftAutosaveView.as_view(), name="answer_draft"),
    path(
        "reflections/administrations/<int:pk>/progress/",
        staff.ProgressView.as_view(),
        name="administration_progress",
    ),
    path(
        "reflections/administrations/<int:pk>/progress/rate/",
        staff.ProgressRateView.as_view(),
        name="administration_progress_rate",
    ),
    path(
        "reflections/administrations/<int:pk>/remind/",
        staff.RemindNowView.as_view(),
        name="administration_remind",
    ),
    # Results and their export.
    path(
        "reflections/administrations/<int:pk>/results/",
        results.ResultsView.as_view(),
        name="administration_results",
    ),
    path(
        "reflections/administrations/<int:pk>/results/export/",
        results.ResultsExportView.as_view(),
        name="administration_results_export",
    ),
    path("reflections/administrations/<int:pk>/paper/", staff.PaperEntryView.as_view(), name="paper_entry"),
    path(
        "reflections/administrations/<int:pk>/blank.pdf",
        staff.BlankPdfView.as_view(),
        name="administration_blank_pdf",
    ),
]
