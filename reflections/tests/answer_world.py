"""A questionnaire with one question of every kind, given to a cohort with members, for the answering tests."""

from dataclasses import dataclass
from typing import Any

from accounts.tests.factories import FacilitatorFactory
from participants.models import Participant
from participants.tests.factories import EnrolmentFactory
from reflections.models import Administration, Question, Questionnaire
from reflections.tests.factories import AdministrationFactory, ChoiceFactory, QuestionFactory, QuestionnaireFactory
from trainings.tests.factories import CohortFactory


@dataclass
class AnswerWorld:
    questionnaire: Questionnaire
    administration: Administration
    section: Question
    text: Question
    scale: Question
    single: Question
    multiple: Question
    yes_no: Question
    members: list[Participant]
    facilitator: Any

    @property
    def member(self) -> Participant:
        return self.members[0]

    def full_answers(self) -> dict[str, Any]:
        return {
            str(self.text.pk): "We shared the victim's file too late.",
            str(self.scale.pk): 4,
            str(self.single.pk): "police",
            str(self.multiple.pk): ["ngo", "labour"],
            str(self.yes_no.pk): True,
        }


def answer_world(*, anonymous: bool = True, members: int = 3, **administration: Any) -> AnswerWorld:
    questionnaire = QuestionnaireFactory(title="After the simulation", is_anonymous=anonymous, language="en")
    section = QuestionFactory(questionnaire=questionnaire, order=1, kind=Question.Kind.SECTION, text="Cooperation")
    text = QuestionFactory(
        questionnaire=questionnaire,
        order=2,
        text="What would you do differently?",
        required=True,
        translations={"pl": {"text": "Co zrobiłbyś inaczej?"}},
    )
    scale = QuestionFactory(
        questionnaire=questionnaire,
        order=3,
        kind=Question.Kind.SCALE,
        scale_max=5,
        text="How confident are you in referring a victim?",
        low_label="not at all",
        high_label="fully",
        required=True,
    )
    single = QuestionFactory(questionnaire=questionnaire, order=4, kind=Question.Kind.SINGLE, text="Who led?")
    for order, (key, label, polish) in enumerate(
        [("police", "Police", "Policja"), ("ngo", "NGO", "Organizacja"), ("labour", "Labour inspectorate", "")], 1
    ):
        ChoiceFactory(question=single, order=order, key=key, label=label, translations={"pl": polish} if polish else {})
    multiple = QuestionFactory(
        questionnaire=questionnaire, order=5, kind=Question.Kind.MULTIPLE, text="Whom did you call?"
    )
    for order, (key, label) in enumerate([("police", "Police"), ("ngo", "NGO"), ("labour", "Labour inspectorate")], 1):
        ChoiceFactory(question=multiple, order=order, key=key, label=label)
    yes_no = QuestionFactory(
        questionnaire=questionnaire, order=6, kind=Question.Kind.YES_NO, text="Was the briefing clear?"
    )
    facilitator = FacilitatorFactory()
    cohort = CohortFactory(facilitators=[facilitator])
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(members)]
    given = AdministrationFactory(questionnaire=questionnaire, cohort=cohort, **administration)
    return AnswerWorld(
        questionnaire=questionnaire,
        administration=given,
        section=section,
        text=text,
        scale=scale,
        single=single,
        multiple=multiple,
        yes_no=yes_no,
        members=[enrolment.participant for enrolment in enrolments],
        facilitator=facilitator,
    )
