from django.urls import path

from reflections.views import answering, staff

app_name = "reflections"

urlpatterns = [
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
    path("reflections/administrations/<int:pk>/paper/", staff.PaperEntryView.as_view(), name="paper_entry"),
    path(
        "reflections/administrations/<int:pk>/blank.pdf",
        staff.BlankPdfView.as_view(),
        name="administration_blank_pdf",
    ),
]
