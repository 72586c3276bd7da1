"""The exercises' choice sets, apart from the models so that pure modules (plans, the master events
list parser) can name them without loading a model. The models expose them as ``Exercise.Kind``,
``Phase.Kind``, ``Inject.Kind`` and ``Inject.Channel``."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class ExerciseKind(TextChoices):
    SIMULATION = "simulation", _("Simulation")
    TABLETOP = "tabletop", _("Tabletop exercise")
    ROLE_PLAY = "role_play", _("Role play")
    CASE_STUDY = "case_study", _("Case study")
    DISCUSSION = "discussion", _("Discussion")
    LECTURE = "lecture", _("Lecture")


class PhaseKind(TextChoices):
    PREPARATION = "preparation", _("Preparation")
    PLAY = "play", _("Play")
    CRISIS = "crisis", _("Crisis")
    DEBRIEFING = "debriefing", _("Debriefing")


class InjectKind(TextChoices):
    NEW_INFORMATION = "new_information", _("New information")
    LOGISTICAL = "logistical", _("Logistical problem")
    CONFUSION = "confusion", _("Confusion")
    OTHER = "other", _("Other")


class InjectChannel(TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Message")
    RADIO = "radio", _("Radio")
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")
