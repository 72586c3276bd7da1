"""The caller's own questionnaires over the API: ``/api/v1/my-reflections/``.

Lists the administrations of the caller's cohorts (pending and answered). For one of them: its
questions (``?lang=``), the caller's draft (GET, PUT), ``submit`` (POST, once) and ``submission``
(whether they answered; their answers only for a named questionnaire). Everything is looked up by
the caller: nobody else's draft or answers can be addressed. Refusals answer 400 and change nothing.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.languages import user_language
from accounts.requests import acting_user
from core.viewsets import ServiceAPIMixin
from reflections import selectors, services
from reflections.models import Administration, Draft, Question
from trainings.api.serializers import language_field

ANSWER = "reflections.answer_administration"
LANG = OpenApiParameter("lang", str, description=str(_("Language of the questions (else your preferred one).")))


class MyAdministrationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="questionnaire.title")
    anonymous = serializers.BooleanField(source="questionnaire.is_anonymous")
    state = serializers.SerializerMethodField(help_text=_("upcoming, open or closed."))
    answered = serializers.BooleanField(help_text=_("You have submitted your answers."))
    has_draft = serializers.BooleanField()

    class Meta:
        model = Administration
        fields: tuple[str, ...] = (
            "id",
            "title",
            "anonymous",
            "cohort",
            "run",
            "stage",
            "opens_at",
            "closes_at",
            "state",
            "answered",
            "has_draft",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_state(self, administration: Administration) -> str:
        return services.administration_state(administration=administration)


class ChoiceOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field (QuestionOutSerializer)


class QuestionOutSerializer(serializers.Serializer):
    # Fields named like Field attributes (help_text, required, label): DRF's metaclass takes declared
    # fields out of the class, so they do not shadow those attributes at run time.
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    help_text = serializers.CharField()  # type: ignore[assignment]  # a declared field, see above
    required = serializers.BooleanField()  # type: ignore[assignment]  # a declared field, see above
    scale_max = serializers.IntegerField(source="question.scale_max", allow_null=True)
    low_label = serializers.CharField()
    high_label = serializers.CharField()
    choices = ChoiceOutSerializer(many=True)


class MyAdministrationDetailSerializer(MyAdministrationSerializer):
    introduction = serializers.CharField(source="questionnaire.introduction")
    questions = serializers.SerializerMethodField()

    class Meta(MyAdministrationSerializer.Meta):
        fields = (*MyAdministrationSerializer.Meta.fields, "introduction", "questions")
        read_only_fields = fields

    @extend_schema_field(QuestionOutSerializer(many=True))
    def get_questions(self, administration: Administration) -> list[dict[str, Any]]:
        language = self.context.get("language", "en")
        views = selectors.question_views(administration=administration, language=language)
        return QuestionOutSerializer(views, many=True).data  # type: ignore[return-value]


class AnswersField(serializers.DictField):
    """Answers by question id: text, a scale point, a choice key, a list of choice keys, or true/false."""

    child = serializers.JSONField()


class DraftSerializer(serializers.Serializer):
    language = language_field(required=False)
    answers = AnswersField()
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class SubmitSerializer(serializers.Serializer):
    answers = AnswersField()


class SubmissionSerializer(serializers.Serializer):
    answered = serializers.BooleanField()
    answered_on = serializers.DateField(allow_null=True)
    anonymous = serializers.BooleanField()
    answers = AnswersField(
        allow_null=True, help_text=_("Your answers, for a named questionnaire only: an anonymous one's are nobody's.")
    )


class MyReflectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceAPIMixin):
    queryset = Administration.objects.all()
    serializer_class = MyAdministrationSerializer
    http_method_names = ("get", "post", "put", "head", "options")  # type: ignore[assignment]
    rules_actions = {"retrieve": ANSWER, "draft": ANSWER, "submit": ANSWER, "submission": ANSWER}

    def get_queryset(self) -> QuerySet[Administration]:
        return selectors.my_administration_queryset(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "retrieve":
            return MyAdministrationDetailSerializer
        return MyAdministrationSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        asked = self.request.query_params.get("lang", "") if hasattr(self.request, "query_params") else ""
        codes = {code for code, _name in settings.LANGUAGES}
        # Their language, else the request's.
        fallback = translation.get_language()
        context["language"] = asked if asked in codes else user_language(self.request.user, fallback=fallback)
        return context

    @extend_schema(parameters=[LANG])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(methods=["GET"], responses={200: DraftSerializer})
    @extend_schema(methods=["PUT"], request=DraftSerializer, responses={200: DraftSerializer})
    @action(detail=True, methods=["get", "put"])
    def draft(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Your draft of this questionnaire (empty when none); PUT replaces it."""
        administration = self.get_object()
        participant = acting_user(request).participant
        draft: Draft | None
        if request.method == "PUT":
            data = self.validated_input(DraftSerializer)
            draft = services.draft_save(
                administration=administration,
                participant=participant,
                answers=data["answers"],
                language=data.get("language", ""),
            )
        else:
            draft = selectors.draft_for(administration=administration, participant=participant)
        if draft is None:
            return Response({"language": user_language(participant.user), "answers": {}, "updated_at": None})
        return Response(DraftSerializer(draft).data)

    @extend_schema(request=SubmitSerializer, responses={201: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit your answers, once; required questions must be answered."""
        administration = self.get_object()
        data = self.validated_input(SubmitSerializer)
        services.response_submit(
            administration=administration, participant=acting_user(request).participant, answers=data["answers"]
        )
        return Response(self._submission(administration), status=201)

    @extend_schema(responses={200: SubmissionSerializer})
    @action(detail=True, methods=["get"])
    def submission(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Whether you have answered; your answers for a named questionnaire."""
        return Response(self._submission(self.get_object()))

    def _submission(self, administration: Administration) -> dict[str, Any]:
        participant = acting_user(self.request).participant
        completion = selectors.completion_for(administration=administration, participant=participant)
        answers = None
        if completion is not None and completion.response is not None:
            answers = selectors.response_answers(response=completion.response)
        return SubmissionSerializer(
            {
                "answered": completion is not None,
                "answered_on": completion.completed_at.date() if completion is not None else None,
                "anonymous": administration.questionnaire.is_anonymous,
                "answers": answers,
            }
        ).data
