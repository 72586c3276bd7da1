"""Forms of a run's cell page: add one of the cohort's staff, invite a guest, change a place."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exercises import selectors
from exercises.forms.fields import NamedChoicesMixin
from exercises.models import CellRole, ExerciseRun, RunCellMember


class _PlaceFields(NamedChoicesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RunCellMember.Kind.choices)
    # Ids of the exercise's cell roles, read once per page (``roles``), not once per form.
    cell_roles = forms.TypedMultipleChoiceField(
        label=_("Plays"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The cell roles of this exercise this person plays, e.g. the embassy or the media."),
    )

    def __init__(self, *args: Any, run: ExerciseRun, roles: list[CellRole] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is None:
            roles = list(selectors.cell_role_list(run=run))
        field: Any = self.fields["cell_roles"]
        field.choices = [(role.pk, role.name) for role in roles]
        self.name_choices()


class CellStaffAddForm(_PlaceFields):
    user = forms.ModelChoiceField(label=_("Facilitator"), queryset=None)
    field_order = ("user", "kind", "cell_roles")

    def __init__(self, *args: Any, run: ExerciseRun, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": RunCellMember.Kind.CONTROLLER})
        super().__init__(*args, run=run, **kwargs)
        user: Any = self.fields["user"]
        user.queryset = selectors.cell_staff_candidates(run=run)


class CellGuestInviteForm(_PlaceFields):
    email = forms.CharField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150, required=False, help_text=_("For a new account."))
    field_order = ("email", "name", "kind", "cell_roles")

    def __init__(self, *args: Any, run: ExerciseRun, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": RunCellMember.Kind.ROLE_PLAYER})
        super().__init__(*args, run=run, **kwargs)


class CellMemberForm(_PlaceFields):
    """One place's kind and roles; prefixed by the place's id so that each row posts its own."""

    def __init__(self, *args: Any, run: ExerciseRun, member: RunCellMember, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": member.kind, "cell_roles": [role.pk for role in member.cell_roles.all()]})
        super().__init__(*args, run=run, prefix=f"member-{member.pk}", **kwargs)
        self.member = member
