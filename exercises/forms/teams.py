"""Forms of the team page: ask the assistant for a proposal, then place each person."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exercises.assistant import Strategy as TeamStrategy
from exercises.forms.fields import NamedChoicesMixin
from participants.models import Enrolment


class TeamProposalForm(NamedChoicesMixin, forms.Form):
    """Ask the assistant for a proposal (a GET form: proposing changes nothing)."""

    strategy = forms.ChoiceField(
        label=_("Strategy"), choices=TeamStrategy.choices, initial=TeamStrategy.REALISTIC, widget=forms.RadioSelect
    )
    seed = forms.IntegerField(
        label=_("Variant"),
        min_value=0,
        max_value=999_999,
        initial=0,
        help_text=_("Another number gives another proposal with the same strategy."),
    )


class TeamAssignmentForm(NamedChoicesMixin, forms.Form):
    """One select per playing person: the team they play in. The service checks the whole."""

    def __init__(self, *args: Any, enrolments: list[Enrolment], teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(team.pk), str(team)) for team in teams]
        self.enrolment_ids = [enrolment.pk for enrolment in enrolments]
        for enrolment in enrolments:
            self.fields[self.team_key(enrolment.pk)] = forms.TypedChoiceField(
                label=str(enrolment.participant), choices=choices, coerce=int
            )
        self.name_choices()

    @staticmethod
    def team_key(enrolment_id: int) -> str:
        return f"team_{enrolment_id}"

    def assignments(self) -> list[tuple[int, int]]:
        """(enrolment id, team id) pairs, once the form is valid."""
        return [(pk, self.cleaned_data[self.team_key(pk)]) for pk in self.enrolment_ids]

    def shown(self) -> dict[int, Any]:
        """Enrolment id -> the team the form shows for it: as posted, else as proposed."""
        return {pk: self[self.team_key(pk)].value() for pk in self.enrolment_ids}
