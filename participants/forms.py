"""Forms of the enrolment and attendance pages. They check shapes; the services decide."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import normalise_email, normalise_name
from participants.models import Attendance, Enrolment, Participant
from participants.services import NEW_ENROLMENT_STATUSES, STATUS_TRANSITIONS
from trainings.models import Agency, Cohort

NEW_STATUS_CHOICES = [(status.value, status.label) for status in NEW_ENROLMENT_STATUSES]


class EmailAddressField(forms.CharField):
    """An email address as every path takes it (``core.text.normalise_email``): a full-width look-alike
    becomes ASCII, invisible characters are refused. Django's ``EmailField`` would let zero-width
    characters through (IDNA drops them when validating) and refuse look-alikes the API accepts."""

    widget = forms.EmailInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalise_email(text) if text else text


class NameField(forms.CharField):
    """A person's name as stored (``core.text.normalise_name``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return normalise_name(super().clean(value))


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:  # type: ignore[override]  # narrower than Model
        return f"{obj.user} <{obj.user.email}>"


class EnrolForm(forms.Form):
    """Enrol one person: someone who already has a profile, or a new person by email."""

    participant = ParticipantChoiceField(
        label=_("Participant"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=_("— choose, or add a new person below —"),
    )
    email = EmailAddressField(label=_("Email"), required=False, help_text=_("For a new person."))
    first_name = NameField(label=_("First name"), required=False)
    last_name = NameField(label=_("Last name"), required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all(), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False, help_text=_("e.g. PL"))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES, initial="en")
    status = forms.ChoiceField(label=_("Status"), choices=NEW_STATUS_CHOICES, initial=Enrolment.Status.INVITED)
    waitlist_if_full = forms.BooleanField(
        label=_("Put them on the waiting list if the cohort is full"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["participant"])
        field.queryset = (
            Participant.objects.exclude(enrolments__cohort=cohort)
            .select_related("user", "agency")
            .order_by("user__last_name", "user__first_name", "user__email")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("participant") and data.get("email"):
            raise ValidationError(_("Choose someone with a profile, or give a new person's email — not both."))
        if not data.get("participant") and not data.get("email") and not self.has_error("email"):
            raise ValidationError(_("Choose someone with a profile, or give a new person's email."))
        return data

    def profile(self) -> dict[str, Any]:
        keys = ("first_name", "last_name", "agency", "position", "country", "preferred_language")
        return {key: self.cleaned_data[key] for key in keys}


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "CSV or XLSX with the columns email, first_name, last_name, agency, position, country, "
            "preferred_language. Only email is required."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    status = forms.ChoiceField(
        label=_("New enrolments are"), choices=NEW_STATUS_CHOICES, initial=Enrolment.Status.INVITED
    )
    waitlist_rest = forms.BooleanField(
        label=_("Put the rest on the waiting list when the cohort is full"), required=False
    )


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False, help_text=_("Why; kept in the history."))

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(enrolment.status, ())
        field = cast(forms.ChoiceField, self.fields["status"])
        field.choices = [(status, Enrolment.Status(status).label) for status in allowed]


ATTENDANCE_CHOICES = [("", _("— not recorded —")), *Attendance.Status.choices]


class AttendanceForm(forms.Form):
    """One choice per person on the session's list, saved together."""

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[self.key(line.enrolment.pk)] = forms.ChoiceField(
                label=str(line.enrolment.participant.user),
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=line.status,
            )

    @staticmethod
    def key(enrolment_id: int) -> str:
        return f"status_{enrolment_id}"

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(line, self[self.key(line.enrolment.pk)]) for line in self.lines]

    def records(self) -> dict[int, str]:
        return {line.enrolment.pk: self.cleaned_data[self.key(line.enrolment.pk)] for line in self.lines}
