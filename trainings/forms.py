"""Forms for the trainings pages. Each form checks shape only; its view calls a service for the rules."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.exceptions import ApplicationError
from core.forms import SmallNumberInput
from trainings.models import Cohort, Course, DeliveryMode, LearningObjective, Session
from trainings.validators import time_zone_choices

# --- catalogue: learning objectives and courses ------------------------------------------------
# Plain forms, not ModelForms: a ModelForm would change the instance before the service compares
# the old values with the new ones, and would check the code's uniqueness a second time.

_OBJECTIVE_FIELDS = forms.fields_for_model(
    LearningObjective, fields=("code", "title", "description", "category", "order")
)
_COURSE_FIELDS = forms.fields_for_model(Course, fields=("title", "slug", "summary", "language"))


def objective_choices(*, linked: Any = None) -> Any:
    """Active objectives, plus the retired ones already linked to the record being edited."""
    linked_ids = list(linked.values_list("pk", flat=True)) if linked is not None else []
    return LearningObjective.objects.filter(Q(is_active=True) | Q(pk__in=linked_ids)).order_by("order", "code")


class LearningObjectiveForm(forms.Form):
    code = _OBJECTIVE_FIELDS["code"]
    title = _OBJECTIVE_FIELDS["title"]
    description = _OBJECTIVE_FIELDS["description"]
    category = _OBJECTIVE_FIELDS["category"]
    order = forms.IntegerField(
        label=_OBJECTIVE_FIELDS["order"].label,
        min_value=0,
        required=False,
        initial=0,
        widget=SmallNumberInput(),
        help_text=_("Where the objective appears in the catalogue; lower comes first."),
    )

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


class CourseForm(forms.Form):
    title = _COURSE_FIELDS["title"]
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        required=False,
        help_text=_("The last part of the course's web address. Made from the title when left empty."),
    )
    summary = _COURSE_FIELDS["summary"]
    language = _COURSE_FIELDS["language"]
    learning_objectives = forms.ModelMultipleChoiceField(
        label=_("Learning objectives"),
        queryset=LearningObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Retired objectives are offered only where the course already has them."),
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linked = course.learning_objectives.all() if course is not None else None
        self.fields["learning_objectives"].queryset = objective_choices(linked=linked)  # type: ignore[attr-defined]
        if course is not None:
            self.fields["slug"].required = True


# --- cohorts and sessions (the schedule) -------------------------------------------------------
# Plain forms as above; cohort_create/update and session_create/update judge the rules.

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def people_choices(*roles: Role, keep: Any = None) -> Any:
    """Active people holding one of the roles, plus those already named on the record being edited."""
    kept = list(keep.values_list("pk", flat=True)) if keep is not None else []
    return (
        User.objects.filter(Q(groups__name__in=[role.value for role in roles], is_active=True) | Q(pk__in=kept))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        required=False,
        help_text=_("The last part of the cohort's web address. Made from the name when left empty."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=_DATE)
    end_date = forms.DateField(label=_("End date"), widget=_DATE)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="Europe/Warsaw",
        help_text=_("Where the cohort meets: session times are entered and shown in this zone."),
    )
    delivery_mode = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryMode.choices)
    venue = forms.CharField(
        label=_("Venue"), max_length=255, required=False, help_text=_("Needed in person and hybrid.")
    )
    video_link = forms.URLField(
        label=_("Video link"), required=False, assume_scheme="https", help_text=_("Needed online and hybrid.")
    )
    # No minimum here: the service says what a capacity must be, with the places already taken.
    capacity = forms.IntegerField(
        label=_("Capacity"), help_text=_("How many people may be enrolled at once."), widget=SmallNumberInput()
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinators"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, cohort: Cohort | None = None, **kwargs: Any) -> None:
        if cohort is not None:
            kwargs["initial"] = {**self.initial_for(cohort), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        keep_coordinators = cohort.coordinators.all() if cohort is not None else None
        keep_facilitators = cohort.facilitators.all() if cohort is not None else None
        self.fields["coordinators"].queryset = people_choices(  # type: ignore[attr-defined]
            Role.COORDINATOR, keep=keep_coordinators
        )
        self.fields["facilitators"].queryset = people_choices(  # type: ignore[attr-defined]
            Role.FACILITATOR, Role.COORDINATOR, keep=keep_facilitators
        )
        if cohort is not None:
            self.fields["slug"].required = True

    @staticmethod
    def initial_for(cohort: Cohort) -> dict[str, Any]:
        return {
            "name": cohort.name,
            "slug": cohort.slug,
            "start_date": cohort.start_date,
            "end_date": cohort.end_date,
            "time_zone": cohort.time_zone,
            "delivery_mode": cohort.delivery_mode,
            "venue": cohort.venue,
            "video_link": cohort.video_link,
            "capacity": cohort.capacity,
            "coordinators": list(cohort.coordinators.all()),
            "facilitators": list(cohort.facilitators.all()),
        }


def local_datetime(day: dt.date, time: dt.time, *, tz: Any) -> dt.datetime | None:
    """The wall-clock time in ``tz`` as an aware datetime; None when the clocks skip it (spring forward)."""
    value = dt.datetime.combine(day, time, tzinfo=tz)
    if value.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != value.replace(tzinfo=None):
        return None
    return value


class SessionForm(forms.Form):
    """A session on one day of the agenda; times are the cohort's wall-clock times."""

    # The service's field names for the times, and where their errors belong on this form.
    SERVICE_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Day"), widget=_DATE)
    start_time = forms.TimeField(label=_("Starts at"), widget=_TIME)
    end_time = forms.TimeField(label=_("Ends at"), widget=_TIME)
    room = forms.CharField(
        label=_("Room"), max_length=200, required=False, help_text=_("Two cohorts cannot book one room at once.")
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty to meet on the cohort's video link, if it has one."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, cohort: Cohort, session: Session | None = None, **kwargs: Any) -> None:
        self.cohort = cohort
        if session is not None:
            kwargs["initial"] = {**self.initial_for(session), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        zone = _("In the cohort's time zone, %(zone)s.") % {"zone": cohort.time_zone}
        self.fields["start_time"].help_text = zone
        self.fields["end_time"].help_text = zone
        self.fields["date"].widget.attrs.update(
            {"min": cohort.start_date.isoformat(), "max": cohort.end_date.isoformat()}
        )

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        tz = session.cohort.tz
        starts_at, ends_at = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
        return {
            "title": session.title,
            "date": starts_at.date(),
            "start_time": starts_at.time(),
            "end_time": ends_at.time(),
            "room": session.room,
            "video_link": session.video_link,
            "description": session.description,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        tz = self.cohort.tz
        for field, time in (("start_time", start), ("end_time", end)):
            if local_datetime(day, time, tz=tz) is None:
                self.add_error(
                    field,
                    _("%(time)s does not exist on that day in %(zone)s: the clocks skip it.")
                    % {"time": time.strftime("%H:%M"), "zone": self.cohort.time_zone},
                )
        data["starts_at"] = local_datetime(day, start, tz=tz)
        data["ends_at"] = local_datetime(day, end, tz=tz)
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "room": data["room"].strip(),
            "video_link": data["video_link"],
            "description": data["description"],
        }

    def add_service_errors(self, error: ApplicationError) -> None:
        """Put the service's field errors next to this form's fields (times by their form names)."""
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for field, texts in messages.items():
            target = self.SERVICE_FIELDS.get(field, field)
            for text in texts:
                self.add_error(target if target in self.fields else None, text)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the participants and facilitators in the cancellation email."),
    )


class RetentionHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason to keep the personal data"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example a court case or an inquiry that needs the records. Name no participant: the reason "
            "is shown to the other coordinators."
        ),
    )
