"""Serializers of an administration's aggregated results (``.../questionnaire-administrations/{id}/results/``)."""

from typing import Any

from rest_framework import serializers


class BarSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.SerializerMethodField()
    kind = serializers.CharField()
    text = serializers.SerializerMethodField()
    objective = serializers.SerializerMethodField()
    answered = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    bars = BarSerializer(many=True)
    texts = serializers.ListField(child=serializers.CharField())

    def get_question(self, result: Any) -> int:
        return result.question.id

    def get_text(self, result: Any) -> str:
        return result.question.text

    def get_objective(self, result: Any) -> str:
        return result.question.objective


class TeamResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    respondents = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class ObjectiveChangeSerializer(serializers.Serializer):
    objective = serializers.CharField()
    before = serializers.FloatField()
    after = serializers.FloatField()
    change = serializers.FloatField()


class ResultsSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    members = serializers.IntegerField()
    min_respondents = serializers.IntegerField()
    anonymous = serializers.BooleanField()
    shown = serializers.BooleanField(help_text="False while an anonymous questionnaire has too few respondents.")
    questions = QuestionResultSerializer(many=True)
    teams = TeamResultSerializer(many=True)
    hidden_teams = serializers.IntegerField()
    prepost = ObjectiveChangeSerializer(many=True)
