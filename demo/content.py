"""Chapter 6 of the EU manual ("Inter-agency cooperation") as plain data.

The text is paraphrased in Concord's own words; names, numbers and facts follow the seed
(`../shared/seed/000_74381d08e29b4969.txt`). Curriculum content is stored in the database as
data, so it is deliberately not wrapped in gettext here.

One known oddity of the seed is kept on purpose: the manual heads the simulation "60 minutes"
while its phases add up to 15 + 30, and the whole exercise is planned at 90 minutes. The phases
below therefore sum to 75 of 90 minutes, and the plan warning shows it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from exercises.models import Exercise, Inject, Phase
from reflections.models import Question
from trainings.models import AgencyKind

# ---------------------------------------------------------------------------------------------
# Shapes


@dataclass(frozen=True)
class ObjectiveData:
    code: str
    title: str
    description: str
    category: str
    order: int


@dataclass(frozen=True)
class AgencyData:
    key: str  # how people and roles below refer to it; not stored
    name: str
    kind: AgencyKind
    country: str
    description: str


@dataclass(frozen=True)
class PhaseData:
    order: int
    name: str
    kind: Phase.Kind
    planned_minutes: int
    instructions: str


@dataclass(frozen=True)
class TeamRoleData:
    number: int
    name: str
    agency_kind: AgencyKind
    briefing: str
    tasks: str


@dataclass(frozen=True)
class InjectData:
    number: int
    title: str
    body: str
    kind: Inject.Kind
    channel: Inject.Channel
    sender: str
    phase_order: int
    minute_offset: int
    target_role_numbers: tuple[int, ...]
    expected_actions: str
    objective_codes: tuple[str, ...]
    depends_on_number: int | None = None


@dataclass(frozen=True)
class HandoutData:
    order: int
    title: str
    description: str


@dataclass(frozen=True)
class ExerciseData:
    slug: str
    name: str
    kind: Exercise.Kind
    planned_minutes: int
    aim: str
    scenario: str
    materials: str
    facilitator_guidelines: str
    tips: str
    online_variation: str
    debriefing_guidance: str
    objective_codes: tuple[str, ...]
    handouts: tuple[HandoutData, ...]
    phases: tuple[PhaseData, ...]
    team_roles: tuple[TeamRoleData, ...]
    injects: tuple[InjectData, ...]


@dataclass(frozen=True)
class QuestionData:
    order: int
    kind: Question.Kind
    text: str
    help_text: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (key, label)
    scale_max: int | None = None
    low_label: str = ""
    high_label: str = ""
    # Language -> {"text", "help_text", "low_label", "high_label"} (reflections.Question.translations).
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Choice key -> language -> label (reflections.Choice.translations).
    choice_translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionnaireData:
    title: str
    introduction: str
    is_anonymous: bool
    questions: tuple[QuestionData, ...]


@dataclass(frozen=True)
class CourseData:
    slug: str
    title: str
    summary: str
    language: str
    objective_codes: tuple[str, ...]


@dataclass(frozen=True)
class PersonData:
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class ParticipantData:
    email: str
    first_name: str
    last_name: str
    agency_key: str
    position: str
    country: str
    preferred_language: str
    team_number: int  # the team role this person plays in the demo run


@dataclass(frozen=True)
class SessionData:
    day: int  # 0 is the cohort's first day
    starts: time  # local time in the cohort's time zone
    ends: time
    title: str
    description: str
    room: str
    holds_run: bool = False


@dataclass(frozen=True)
class CohortData:
    slug: str
    name: str
    time_zone: str
    venue: str
    capacity: int
    starts_in_days: int  # at least this many days after the first load
    start_weekday: int  # Monday is 0: the course starts on this weekday
    length_days: int
    sessions: tuple[SessionData, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# 6.2 Learning objectives

OBJECTIVES: tuple[ObjectiveData, ...] = (
    ObjectiveData(
        code="coop-international",
        title="Cooperate across agencies and borders",
        description=(
            "Build the skills to work effectively with law enforcement, government agencies, NGOs and "
            "international bodies such as Europol, Interpol, the United Nations and regional organisations."
        ),
        category="Cooperation",
        order=1,
    ),
    ObjectiveData(
        code="law-and-policy",
        title="Know the legal and policy framework",
        description=(
            "Understand the legal standards that apply to trafficking in human beings: international "
            "conventions such as the UN Protocols and the Council of Europe's anti-trafficking convention, "
            "and the national rules that put them into practice."
        ),
        category="Law and policy",
        order=2,
    ),
    ObjectiveData(
        code="victim-identification",
        title="Identify victims of trafficking",
        description=(
            "Learn methods for detecting victims and for recognising the signs that a person is being "
            "exploited in different sectors, such as labour exploitation, forced labour and prostitution."
        ),
        category="Victim identification",
        order=3,
    ),
    ObjectiveData(
        code="international-investigations",
        title="Manage international investigations",
        description=(
            "Learn to conduct investigations that cross borders: sharing information between law "
            "enforcement agencies and coordinating rescues and arrests in several countries."
        ),
        category="Investigations",
        order=4,
    ),
    ObjectiveData(
        code="victim-support",
        title="Support victims and secure their rights",
        description=(
            "Develop the competence to assist victims of trafficking: securing their rights and arranging "
            "legal, medical, psychological and social assistance."
        ),
        category="Victim support",
        order=5,
    ),
    ObjectiveData(
        code="root-causes",
        title="Tackle the causes of trafficking",
        description=(
            "Understand the main drivers of the crime, such as poverty, social inequality and lack of "
            "education, and how they can be countered at international level."
        ),
        category="Root causes",
        order=6,
    ),
)

# ---------------------------------------------------------------------------------------------
# 6.3 Definitions and 6.4 theory: the services, as real organisations in several countries

AGENCIES: tuple[AgencyData, ...] = (
    # Poland
    AgencyData(
        key="pl-cbsp",
        name="Central Bureau of Investigation of the Police (CBŚP)",
        kind=AgencyKind.POLICE,
        country="PL",
        description=(
            "Poland's specialised police bureau against organised crime; its anti-trafficking units gather "
            "intelligence on criminal groups, collect evidence and apprehend perpetrators together with the "
            "Border Guard and the prosecutor's office."
        ),
    ),
    AgencyData(
        key="pl-border-guard",
        name="Polish Border Guard (Straż Graniczna)",
        kind=AgencyKind.BORDER_GUARD,
        country="PL",
        description=(
            "Checks identity and documents at border crossings, patrols railway stations, ports and airports, "
            "and takes part in joint inspections of employers suspected of illegal or forced labour."
        ),
    ),
    AgencyData(
        key="pl-prosecution",
        name="National Public Prosecutor's Office (Prokuratura Krajowa)",
        kind=AgencyKind.PROSECUTION,
        country="PL",
        description=(
            "Oversees investigations of trafficking with the police, prepares the case file and represents "
            "the case in court, and works with NGOs and social welfare units so that victims are protected."
        ),
    ),
    AgencyData(
        key="pl-pip",
        name="State Labour Inspectorate (PIP)",
        kind=AgencyKind.LABOUR_INSPECTION,
        country="PL",
        description=(
            "Inspects working conditions where forced labour may occur (construction, agriculture, catering, "
            "domestic work), detects illegal employment and informs the police and Border Guard when it finds "
            "signs of trafficking."
        ),
    ),
    AgencyData(
        key="pl-foreigners",
        name="Office for Foreigners (Urząd do Spraw Cudzoziemców)",
        kind=AgencyKind.IMMIGRATION,
        country="PL",
        description="Decides on the residence of foreign nationals, including victims of trafficking.",
    ),
    AgencyData(
        key="pl-mswia",
        name="Ministry of the Interior and Administration (MSWiA)",
        kind=AgencyKind.GOVERNMENT,
        country="PL",
        description=(
            "Coordinates Poland's national anti-trafficking policy and the cooperation between the services involved."
        ),
    ),
    AgencyData(
        key="pl-wcpr",
        name="Warsaw Family Support Centre (WCPR)",
        kind=AgencyKind.SOCIAL_SERVICES,
        country="PL",
        description="Arranges housing, psychological assistance and social integration for people in crisis.",
    ),
    AgencyData(
        key="pl-la-strada",
        name="La Strada Foundation against Trafficking and Slavery",
        kind=AgencyKind.NGO,
        country="PL",
        description=(
            "Supports victims of trafficking with shelter, counselling and help in legal proceedings, and "
            "informs the public about the risks."
        ),
    ),
    AgencyData(
        key="pl-mazowieckie",
        name="Masovian Voivodeship Office (Mazowiecki Urząd Wojewódzki)",
        kind=AgencyKind.LOCAL_AUTHORITY,
        country="PL",
        description="Coordinates activities within the region and runs prevention and education programmes.",
    ),
    # Germany
    AgencyData(
        key="de-bka",
        name="Federal Criminal Police Office (Bundeskriminalamt, BKA)",
        kind=AgencyKind.POLICE,
        country="DE",
        description="Germany's central criminal police office and its contact point for Europol and Interpol.",
    ),
    AgencyData(
        key="de-bpol",
        name="Federal Police (Bundespolizei)",
        kind=AgencyKind.BORDER_GUARD,
        country="DE",
        description="Protects Germany's borders and checks travellers at airports, ports and railway stations.",
    ),
    AgencyData(
        key="de-sta-muenchen",
        name="Public Prosecutor's Office Munich I (Staatsanwaltschaft München I)",
        kind=AgencyKind.PROSECUTION,
        country="DE",
        description="Directs criminal investigations, including trafficking and labour exploitation cases.",
    ),
    AgencyData(
        key="de-fks",
        name="Financial Control of Undeclared Work (Finanzkontrolle Schwarzarbeit, FKS)",
        kind=AgencyKind.LABOUR_INSPECTION,
        country="DE",
        description="The customs unit that inspects employers for undeclared work and labour exploitation.",
    ),
    AgencyData(
        key="de-bamf",
        name="Federal Office for Migration and Refugees (BAMF)",
        kind=AgencyKind.IMMIGRATION,
        country="DE",
        description="Decides on asylum and residence and screens applicants for signs of trafficking.",
    ),
    AgencyData(
        key="de-bmfsfj",
        name="Federal Ministry for Family Affairs, Senior Citizens, Women and Youth (BMFSFJ)",
        kind=AgencyKind.GOVERNMENT,
        country="DE",
        description="Leads the federal working group that coordinates policy against trafficking in Germany.",
    ),
    AgencyData(
        key="de-sozialreferat",
        name="Munich Social Services Department (Sozialreferat München)",
        kind=AgencyKind.SOCIAL_SERVICES,
        country="DE",
        description="Provides housing, social assistance and integration support in the city of Munich.",
    ),
    AgencyData(
        key="de-kok",
        name="KOK – German NGO Network against Trafficking in Human Beings",
        kind=AgencyKind.NGO,
        country="DE",
        description="A network of specialised counselling centres that support victims of trafficking.",
    ),
    # Romania
    AgencyData(
        key="ro-igpr",
        name="General Inspectorate of Romanian Police (IGPR)",
        kind=AgencyKind.POLICE,
        country="RO",
        description="Romania's national police; its organised crime directorate investigates trafficking.",
    ),
    AgencyData(
        key="ro-border-police",
        name="Romanian Border Police (Poliția de Frontieră Română)",
        kind=AgencyKind.BORDER_GUARD,
        country="RO",
        description="Controls Romania's borders, a large part of them external borders of the European Union.",
    ),
    AgencyData(
        key="ro-diicot",
        name="Directorate for Investigating Organised Crime and Terrorism (DIICOT)",
        kind=AgencyKind.PROSECUTION,
        country="RO",
        description="The specialised prosecution service that handles trafficking committed by organised groups.",
    ),
    AgencyData(
        key="ro-itm",
        name="Labour Inspection (Inspecția Muncii)",
        kind=AgencyKind.LABOUR_INSPECTION,
        country="RO",
        description="Controls working conditions and fights undeclared work in Romania.",
    ),
    AgencyData(
        key="ro-igi",
        name="General Inspectorate for Immigration (IGI)",
        kind=AgencyKind.IMMIGRATION,
        country="RO",
        description="Manages the stay of foreign nationals in Romania and helps identify victims among them.",
    ),
    AgencyData(
        key="ro-anitp",
        name="National Agency against Trafficking in Persons (ANITP)",
        kind=AgencyKind.GOVERNMENT,
        country="RO",
        description="Coordinates Romania's anti-trafficking policy and the referral of victims to assistance.",
    ),
    AgencyData(
        key="ro-dgaspc",
        name="Directorate General for Social Assistance and Child Protection, Bucharest Sector 1 (DGASPC)",
        kind=AgencyKind.SOCIAL_SERVICES,
        country="RO",
        description="Provides shelter, counselling and protection to adults and children at risk.",
    ),
    AgencyData(
        key="ro-adpare",
        name="ADPARE – Association for Developing Alternative Practices for Reintegration and Education",
        kind=AgencyKind.NGO,
        country="RO",
        description="Assists victims of trafficking with counselling, legal support and reintegration.",
    ),
    # Bulgaria
    AgencyData(
        key="bg-gdbop",
        name="General Directorate Combating Organised Crime (GDBOP)",
        kind=AgencyKind.POLICE,
        country="BG",
        description="Bulgaria's police directorate that investigates organised crime, including trafficking.",
    ),
    AgencyData(
        key="bg-border-police",
        name="Bulgarian Border Police (Гранична полиция)",
        kind=AgencyKind.BORDER_GUARD,
        country="BG",
        description="Guards Bulgaria's borders and checks travellers at its crossing points.",
    ),
    AgencyData(
        key="bg-migration",
        name="Migration Directorate of the Ministry of Interior",
        kind=AgencyKind.IMMIGRATION,
        country="BG",
        description="Handles the residence of foreign nationals and the control of irregular migration.",
    ),
    AgencyData(
        key="bg-nccthb",
        name="National Commission for Combating Trafficking in Human Beings",
        kind=AgencyKind.GOVERNMENT,
        country="BG",
        description="Coordinates Bulgaria's national anti-trafficking programme and its local commissions.",
    ),
    AgencyData(
        key="bg-asp",
        name="Social Assistance Agency (Агенция за социално подпомагане)",
        kind=AgencyKind.SOCIAL_SERVICES,
        country="BG",
        description="Runs social services and protection measures for vulnerable adults and children.",
    ),
    AgencyData(
        key="bg-animus",
        name="Animus Association Foundation",
        kind=AgencyKind.NGO,
        country="BG",
        description="Runs a crisis centre and counselling for survivors of trafficking and violence.",
    ),
    AgencyData(
        key="bg-sofia",
        name="Sofia Municipality (Столична община)",
        kind=AgencyKind.LOCAL_AUTHORITY,
        country="BG",
        description="Runs prevention and education programmes in the capital's communities.",
    ),
    # International organisations named in the seed, each listed in the country of its seat
    AgencyData(
        key="int-europol",
        name="Europol",
        kind=AgencyKind.INTERNATIONAL,
        country="NL",
        description=(
            "The European Union's law enforcement agency: supports cross-border investigations and the fast "
            "exchange of information between national services."
        ),
    ),
    AgencyData(
        key="int-interpol",
        name="INTERPOL",
        kind=AgencyKind.INTERNATIONAL,
        country="FR",
        description="The international criminal police organisation; connects police forces through its notices.",
    ),
    AgencyData(
        key="int-unodc",
        name="United Nations Office on Drugs and Crime (UNODC)",
        kind=AgencyKind.INTERNATIONAL,
        country="AT",
        description="Guardian of the UN Trafficking in Persons Protocol; supports states in applying it.",
    ),
)

# ---------------------------------------------------------------------------------------------
# 6.5 The suggested activity (Table 11)

_SCENARIO = (
    "Border guards (Team 2) find irregularities in the documents of several travellers during a border "
    "control. They suspect that these people are victims of trafficking in human beings, forced to work "
    "in illegal conditions, and pass the information to the police (Team 1).\n\n"
    "The situation is fictional but realistic: victims have been identified during a border operation, and "
    "the information has reached law enforcement, the border guards and the organisations that support "
    "victims. Each team receives its own set of information about this emergency."
)

_GUIDELINES = (
    "Before the exercise, divide the participants into five teams, each standing for one of the agencies "
    "and institutions that counter trafficking: police / law enforcement; border guards / immigration "
    "services; social services / victim protection; non-governmental organisations; and the government "
    "administration or ministries responsible for migration and anti-trafficking policy. Each team has "
    "its own role and tasks.\n\n"
    "Give every team its set of information about the emergency: victims of trafficking identified during "
    "a border operation, with the information already at the police, the border guards and the victim "
    "support organisations.\n\n"
    "Then run the simulation in two phases: a preliminary phase in which the teams analyse what they know "
    "and take first decisions, and a crisis phase in which the situation changes and they must react "
    "quickly. Close with a debriefing.\n\n"
    "Timing: the manual heads the simulation \u201c60 minutes\u201d, but its phases last 15 and 30 minutes. "
    "Concord keeps the manual's phase lengths, so 15 of the 90 planned minutes are not assigned to a "
    "phase; use them for the introduction of the scenario or a longer debriefing."
)

_TIPS = (
    "Leading the exercise\n"
    "- Introduce the scenario and give each team its tasks. Make clear that every group has its own role "
    "and responsibility, but that it only succeeds by working with the others.\n"
    "- Monitor progress: move from team to team, watch how the cooperation goes and how people cope with "
    "their tasks, and check that each group knows what to do and has the information it needs.\n"
    "- Keep up the momentum: leave time for analysis and decisions, but push the teams to act faster when "
    "needed by changing the scenario suddenly (new information, unexpected difficulties, further "
    "challenges).\n"
    "- Foster communication: encourage regular contact between the teams, and notice whether they exchange "
    "information and manage resources and activities well.\n\n"
    "Interventions during the exercise\n"
    "- Resolving difficulties: when a team struggles, help with hints or questions rather than ready-made "
    "answers, so that the participants find the solution themselves.\n"
    "- Managing conflict: when misunderstandings or conflicts arise, remind the group that the purpose is "
    "to work together; a short intervention about listening to other points of view and accepting "
    "compromises is often enough.\n"
    "- Introducing variables: change the crisis with new elements, for example new information from "
    "another country, logistical problems, or confusion during the evacuation (see the injects). The "
    "teams then have to adapt their plans to a moving situation."
)

_ONLINE = (
    "Run the exercise on a video platform (Zoom, for example) with breakout groups for the services, such as "
    "police, NGO and prosecution. Each group discusses the trafficking case and works out the actions of "
    "its role, then presents its results to everyone. A discussion of the difficulties met and of how "
    "cooperation could be improved follows. Scenario variables can be added online too, to test how "
    "flexible the cooperation is."
)

_DEBRIEFING = (
    "- Summarise what the teams did and discuss the difficulties and challenges each agency met during "
    "the simulation.\n"
    "- Discuss together the strengths of the cooperation and the areas to improve.\n"
    "- Identify good practice and the points where cooperation could work better.\n\n"
    "To close, invite the participants to share their impressions and to reflect on what was achieved and "
    "what cooperation still needs."
)

EXERCISE = ExerciseData(
    slug="recognising-victims-interviewing-suspects",
    name="Recognising victims of trafficking – Interviewing suspects",
    kind=Exercise.Kind.SIMULATION,
    planned_minutes=90,
    aim=(
        "Develop the skills of cooperation between the services and institutions that counter trafficking "
        "in human beings at national level. Participants practise exchanging information, coordinating "
        "their activities and taking decisions in a crisis, each within their own role and responsibilities."
    ),
    scenario=_SCENARIO,
    materials=(
        "- Protocol for the operational activities of the services.\n"
        "- List of inter-agency contacts and cooperation procedures.\n"
        "- Scenario cards for analysis by the teams, with role cards (border guard officer, prosecutor, etc.)."
    ),
    facilitator_guidelines=_GUIDELINES,
    tips=_TIPS,
    online_variation=_ONLINE,
    debriefing_guidance=_DEBRIEFING,
    objective_codes=("coop-international", "victim-identification", "international-investigations", "victim-support"),
    handouts=(
        HandoutData(
            order=1,
            title="Procedures for inter-agency cooperation when trafficking is detected",
            description="Material 1: who informs whom, and how, once a possible trafficking case is found.",
        ),
        HandoutData(
            order=2,
            title="Key institutions and agencies in Poland fighting against trafficking in human beings",
            description="Material 2: the Polish services and organisations involved, and their roles.",
        ),
    ),
    phases=(
        PhaseData(
            order=1,
            name="Preparation",
            kind=Phase.Kind.PREPARATION,
            planned_minutes=15,
            instructions=(
                "Give the introductory instructions and divide the participants into the five agency teams. "
                "Hand each team its set of information about the emergency: victims of trafficking identified "
                "during a border operation, reported to law enforcement, the border guards and victim support "
                "organisations."
            ),
        ),
        PhaseData(
            order=2,
            name="Preliminary phase",
            kind=Phase.Kind.PLAY,
            planned_minutes=15,
            instructions=(
                "Each team analyses the information it received and takes its first decisions.\n"
                "- Teams 1 and 2 coordinate at operational level: apprehending persons and securing evidence.\n"
                "- Teams 3 and 4 plan the support for the victims: identifying their needs and informing them "
                "of their rights.\n"
                "- Team 5 follows the whole process, coordinates the communication between the agencies and "
                "handles formal and administrative matters."
            ),
        ),
        PhaseData(
            order=3,
            name="Crisis phase",
            kind=Phase.Kind.CRISIS,
            planned_minutes=30,
            instructions=(
                "The situation changes and the teams must react quickly: victims may need to be evacuated to a "
                "safe place at once, communication between agencies may break down, new information may "
                "appear.\n"
                "- Teams 1 and 2 work together to apprehend the suspected traffickers safely while protecting "
                "the victims.\n"
                "- Teams 3 and 4 work together to assist the victims and organise psychological and legal "
                "support.\n"
                "- Team 5 coordinates communication and provides resources and administrative support."
            ),
        ),
        PhaseData(
            order=4,
            name="Debriefing",
            kind=Phase.Kind.DEBRIEFING,
            planned_minutes=15,
            instructions=(
                "- Summarise the activities; discuss the difficulties and challenges the agencies met.\n"
                "- Discuss together the strengths of the cooperation and what to improve.\n"
                "- Identify good practice and the areas where cooperation could be better."
            ),
        ),
    ),
    team_roles=(
        TeamRoleData(
            number=1,
            name="Police / Law enforcement",
            agency_kind=AgencyKind.POLICE,
            briefing=(
                "The border guards (Team 2) have just told you about a group of people whose documents showed "
                "irregularities at a border control. They suspect the people are victims of trafficking, forced "
                "to work in illegal conditions. You have not verified the information yet."
            ),
            tasks=(
                "- Respond immediately: verify the information and organise the investigation in coordination "
                "with the other services.\n"
                "- With Team 2, coordinate at operational level: apprehending persons and securing evidence.\n"
                "- In the crisis, apprehend the suspected traffickers safely together with Team 2 while "
                "protecting the victims."
            ),
        ),
        TeamRoleData(
            number=2,
            name="Border guards / Immigration services",
            agency_kind=AgencyKind.BORDER_GUARD,
            briefing=(
                "During a border control your officers found irregularities in the documents of several "
                "people. You suspect they are victims of trafficking, forced to work in illegal conditions, "
                "and you have passed this on to the police (Team 1)."
            ),
            tasks=(
                "- Provide detailed information and cooperate closely with the police.\n"
                "- Secure the site and the persons concerned.\n"
                "- With Team 1, coordinate at operational level and, in the crisis, make sure the suspects are "
                "apprehended safely while the victims are protected."
            ),
        ),
        TeamRoleData(
            number=3,
            name="Social services / Victim protection",
            agency_kind=AgencyKind.SOCIAL_SERVICES,
            briefing=(
                "You have been alerted that possible victims of trafficking were identified during a border "
                "operation and will need care. You do not yet know how many people there are or what they need."
            ),
            tasks=(
                "- Provide medical and psychological care to the victims.\n"
                "- Help find a safe shelter and organise further support.\n"
                "- With Team 4, plan the victims' support: identify their needs and inform them of their "
                "rights; in the crisis, organise psychological and legal support together."
            ),
        ),
        TeamRoleData(
            number=4,
            name="Non-governmental organisations (NGOs)",
            agency_kind=AgencyKind.NGO,
            briefing=(
                "Your organisation has heard from the border guards that several people, possibly victims of "
                "trafficking, were stopped at the border. They will need someone they can trust."
            ),
            tasks=(
                "- Help to identify the victims.\n"
                "- Monitor that procedures respect human rights.\n"
                "- Support contact with the victims and, with Team 3, plan and deliver psychological and legal "
                "support."
            ),
        ),
        TeamRoleData(
            number=5,
            name="Government administration / Ministries responsible for migration and anti-trafficking policy",
            agency_kind=AgencyKind.GOVERNMENT,
            briefing=(
                "The ministry has been informed that a possible trafficking case with several victims was "
                "detected at the border, and that the police, the border guards and victim support services "
                "are responding."
            ),
            tasks=(
                "- Coordinate the activities at national level.\n"
                "- Organise communication and cooperation between the agencies; follow the whole process and "
                "handle formal and administrative matters.\n"
                "- Provide resources and legislative support."
            ),
        ),
    ),
    injects=(
        InjectData(
            number=1,
            title="Victims moved to a neighbouring region",
            body=(
                "Through cooperation with another country we have learned that the traffickers have moved some "
                "of the victims to a neighbouring region."
            ),
            kind=Inject.Kind.NEW_INFORMATION,
            channel=Inject.Channel.EMAIL,
            sender="Liaison officer in the neighbouring country",
            phase_order=3,
            minute_offset=5,
            target_role_numbers=(1, 2, 5),
            expected_actions=(
                "- Police verify the information with the other country's services (through Europol or "
                "Interpol channels) and extend the investigation to the region.\n"
                "- Border guards alert the crossings and checks on the likely routes.\n"
                "- The government team informs the authorities of the region and keeps every agency up to date."
            ),
            objective_codes=("coop-international", "international-investigations"),
        ),
        InjectData(
            number=2,
            title="Transport difficulties",
            body=("Because of transport difficulties, some of the victims may not reach their place of care in time."),
            kind=Inject.Kind.LOGISTICAL,
            channel=Inject.Channel.PHONE,
            sender="Shelter coordinator",
            phase_order=3,
            minute_offset=15,
            target_role_numbers=(3, 4),
            expected_actions=(
                "- Social services and NGOs agree on other transport or a temporary safe place.\n"
                "- They decide who needs care first and keep the victims informed.\n"
                "- They ask the other teams for help where needed (escort, resources)."
            ),
            objective_codes=("victim-support", "coop-international"),
        ),
        InjectData(
            number=3,
            title="A suspect tries to escape",
            body="During the evacuation one of the suspects tried to escape. All services must intervene.",
            kind=Inject.Kind.CONFUSION,
            channel=Inject.Channel.IN_PERSON,
            sender="Officer at the scene",
            phase_order=3,
            minute_offset=22,
            target_role_numbers=(1, 2, 3, 4, 5),
            expected_actions=(
                "- Police and border guards stop the suspect while keeping the victims safe and apart from "
                "the suspects.\n"
                "- Social services and NGOs calm and shield the victims.\n"
                "- The government team keeps one line of communication between all services and records the "
                "decisions taken."
            ),
            objective_codes=("coop-international", "international-investigations", "victim-support"),
            depends_on_number=2,
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# 6.6 Reflections

# The questionnaire's questions and choices in Polish, German, Romanian and Bulgarian (by order / key).
_QUESTION_TRANSLATIONS: dict[int, dict[str, dict[str, str]]] = {
    1: {
        "pl": {"text": "Które pytania okazały się najskuteczniejsze w uzyskiwaniu informacji?"},
        "de": {"text": "Welche Fragen waren am wirksamsten, um Informationen zu erhalten?"},
        "ro": {"text": "Ce întrebări au fost cele mai eficiente pentru obținerea informațiilor?"},
        "bg": {"text": "Кои въпроси бяха най-ефективни за получаване на информация?"},
    },
    2: {
        "pl": {"text": "Jakie techniki pomogły zbudować zaufanie i uzyskać wyczerpujące odpowiedzi?"},
        "de": {"text": "Welche Techniken halfen, Vertrauen aufzubauen und umfassende Antworten zu erhalten?"},
        "ro": {"text": "Ce tehnici au ajutat la câștigarea încrederii și la obținerea unor răspunsuri complete?"},
        "bg": {"text": "Кои техники помогнаха да се изгради доверие и да се получат изчерпателни отговори?"},
    },
    3: {
        "pl": {"text": "Jakie trudności napotkał funkcjonariusz przy identyfikacji ofiary?"},
        "de": {
            "text": "Auf welche Schwierigkeiten stieß die Beamtin oder der Beamte bei der Identifizierung des Opfers?"
        },
        "ro": {"text": "Ce dificultăți a întâmpinat ofițerul în identificarea victimei?"},
        "bg": {"text": "Какви трудности срещна служителят при идентифицирането на жертвата?"},
    },
    4: {
        "pl": {
            "text": "Jakie są Twoje najważniejsze wnioski z ćwiczenia?",
            "help_text": "Zostaną przedstawione, bez Twojego nazwiska, podczas wspólnej refleksji.",
        },
        "de": {
            "text": "Was sind Ihre wichtigsten eigenen Schlussfolgerungen aus der Übung?",
            "help_text": "Sie werden ohne Ihren Namen in der gemeinsamen Reflexion geteilt.",
        },
        "ro": {
            "text": "Care sunt cele mai importante concluzii proprii pe care le trageți din exercițiu?",
            "help_text": "Acestea vor fi împărtășite, fără numele dumneavoastră, în reflecția colectivă.",
        },
        "bg": {
            "text": "Кои са най-важните ви лични изводи от упражнението?",
            "help_text": "Те ще бъдат споделени, без вашето име, в общата рефлексия.",
        },
    },
    5: {
        "pl": {"text": "Na jakie trudności napotkał Twój zespół w fazie kryzysowej?"},
        "de": {"text": "Auf welche Schwierigkeiten stieß Ihr Team in der Krisenphase?"},
        "ro": {"text": "Ce dificultăți a întâmpinat echipa dumneavoastră în faza de criză?"},
        "bg": {"text": "Какви трудности срещна вашият екип в кризисната фаза?"},
    },
    6: {
        "pl": {
            "text": (
                "Jak oceniasz swoją gotowość do zastosowania wypracowanych w ćwiczeniu zasad współpracy "
                "w rzeczywistej sytuacji kryzysowej?"
            ),
            "help_text": "1 = brak gotowości, 5 = pełna gotowość.",
            "low_label": "Brak gotowości",
            "high_label": "Pełna gotowość",
        },
        "de": {
            "text": (
                "Wie bereit fühlen Sie sich, die in der Übung erarbeiteten Grundsätze der Zusammenarbeit "
                "in einem echten Notfall anzuwenden?"
            ),
            "help_text": "1 = überhaupt nicht bereit, 5 = voll und ganz bereit.",
            "low_label": "Überhaupt nicht bereit",
            "high_label": "Voll und ganz bereit",
        },
        "ro": {
            "text": (
                "Cum vă evaluați pregătirea de a aplica într-o situație reală de urgență principiile de "
                "cooperare dezvoltate în exercițiu?"
            ),
            "help_text": "1 = deloc pregătit(ă), 5 = pe deplin pregătit(ă).",
            "low_label": "Deloc pregătit(ă)",
            "high_label": "Pe deplin pregătit(ă)",
        },
        "bg": {
            "text": (
                "Доколко се чувствате готови да приложите принципите на сътрудничество, изработени "
                "в упражнението, при реална извънредна ситуация?"
            ),
            "help_text": "1 = изобщо не съм готов(а), 5 = напълно готов(а).",
            "low_label": "Изобщо не съм готов(а)",
            "high_label": "Напълно готов(а)",
        },
    },
    7: {
        "pl": {"text": "Którą dobrą praktykę z ćwiczenia przeniesiesz do pracy swojej służby?"},
        "de": {
            "text": "Welche gute Praxis aus der Übung werden Sie in die Arbeit Ihrer eigenen Dienststelle einbringen?"
        },
        "ro": {"text": "Ce bună practică din exercițiu veți prelua în activitatea propriei instituții?"},
        "bg": {"text": "Коя добра практика от упражнението ще пренесете в работата на вашата служба?"},
    },
}
_CHOICE_TRANSLATIONS: dict[str, dict[str, str]] = {
    "evacuation": {
        "pl": "Szybka ewakuacja ofiar w bezpieczne miejsce",
        "de": "Opfer schnell an einen sicheren Ort bringen",
        "ro": "Evacuarea rapidă a victimelor într-un loc sigur",
        "bg": "Бърза евакуация на жертвите на безопасно място",
    },
    "communication": {
        "pl": "Komunikacja między instytucjami",
        "de": "Kommunikation zwischen den Behörden",
        "ro": "Comunicarea între instituții",
        "bg": "Комуникация между институциите",
    },
    "new-information": {
        "pl": "Napływ nowych informacji",
        "de": "Neu eintreffende Informationen",
        "ro": "Sosirea unor informații noi",
        "bg": "Постъпване на нова информация",
    },
    "logistics": {
        "pl": "Transport i logistyka",
        "de": "Transport und Logistik",
        "ro": "Transport și logistică",
        "bg": "Транспорт и логистика",
    },
    "responsibilities": {
        "pl": "Niejasny podział obowiązków",
        "de": "Unklare Zuständigkeiten",
        "ro": "Responsabilități neclare",
        "bg": "Неясно разпределение на отговорностите",
    },
}

QUESTIONNAIRE = QuestionnaireData(
    title="Reflection: Recognising victims of trafficking – Interviewing suspects",
    introduction=(
        "Take a few minutes to look back on the exercise. Your answers are anonymous; they help the group draw "
        "good practice from the exercise and carry it into real situations."
    ),
    is_anonymous=True,
    questions=(
        QuestionData(
            order=1,
            translations=_QUESTION_TRANSLATIONS[1],
            kind=Question.Kind.TEXT,
            text="Which questions were most effective in obtaining information?",
        ),
        QuestionData(
            order=2,
            translations=_QUESTION_TRANSLATIONS[2],
            kind=Question.Kind.TEXT,
            text="What techniques helped to build trust and obtain comprehensive answers?",
        ),
        QuestionData(
            order=3,
            translations=_QUESTION_TRANSLATIONS[3],
            kind=Question.Kind.TEXT,
            text="What difficulties did the officer encounter in identifying the victim?",
        ),
        QuestionData(
            order=4,
            translations=_QUESTION_TRANSLATIONS[4],
            kind=Question.Kind.TEXT,
            text="What are your own most relevant conclusions from the exercise?",
            help_text="They will be shared, without your name, in the collective reflection.",
        ),
        QuestionData(
            order=5,
            translations=_QUESTION_TRANSLATIONS[5],
            kind=Question.Kind.MULTIPLE,
            choice_translations=_CHOICE_TRANSLATIONS,
            text="Which difficulties did your team meet during the crisis phase?",
            choices=(
                ("evacuation", "Evacuating victims quickly to a safe place"),
                ("communication", "Communication between agencies"),
                ("new-information", "New information arriving"),
                ("logistics", "Transport and logistics"),
                ("responsibilities", "Unclear responsibilities"),
            ),
        ),
        QuestionData(
            order=6,
            translations=_QUESTION_TRANSLATIONS[6],
            kind=Question.Kind.SCALE,
            text=(
                "How ready do you feel to apply the principles of cooperation developed in the exercise to a real "
                "emergency?"
            ),
            help_text="1 = not ready at all, 5 = fully ready.",
            required=True,
            scale_max=5,
            low_label="Not ready at all",
            high_label="Fully ready",
        ),
        QuestionData(
            order=7,
            translations=_QUESTION_TRANSLATIONS[7],
            kind=Question.Kind.TEXT,
            text="Which good practice from the exercise will you bring to your own service's work?",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# The course and its demo cohort

COURSE = CourseData(
    slug="inter-agency-cooperation",
    title="Inter-agency cooperation against trafficking in human beings",
    summary=(
        "Why trafficking can only be fought together, and how police, border guards, prosecutors, labour "
        "inspectors, social services, NGOs and ministries cooperate at national and international level: "
        "exchanging information, joint operations, prosecution and help for victims. The course ends with a "
        "90-minute simulation in which five agency teams handle a trafficking case detected at the border."
    ),
    language="en",
    objective_codes=tuple(objective.code for objective in OBJECTIVES),
)

COHORT = CohortData(
    slug="demo-cohort-warsaw",
    name="Inter-agency cooperation – Warsaw (demo)",
    time_zone="Europe/Warsaw",
    venue="Conference centre, ul. Marszałkowska 77/79, 00-683 Warszawa",
    capacity=20,
    starts_in_days=14,
    start_weekday=1,  # a Tuesday, so a two-day course never touches a weekend
    length_days=2,
    sessions=(
        SessionData(
            day=0,
            starts=time(9, 0),
            ends=time(9, 30),
            title="Welcome and introductions",
            description="Who is in the room: agencies, countries and expectations.",
            room="Room 2.14",
        ),
        SessionData(
            day=0,
            starts=time(9, 30),
            ends=time(11, 0),
            title="Why inter-agency cooperation matters",
            description=(
                "The objectives of the course, and the roles of law enforcement, social services, immigration "
                "services, NGOs and local authorities (sections 6.1 to 6.3)."
            ),
            room="Room 2.14",
        ),
        SessionData(
            day=0,
            starts=time(11, 30),
            ends=time(13, 0),
            title="How the services work together",
            description=(
                "Information exchange, joint operations, prosecution, labour inspections and help for victims; "
                "international cooperation through Europol, INTERPOL and UNODC (section 6.4)."
            ),
            room="Room 2.14",
        ),
        SessionData(
            day=1,
            starts=time(9, 0),
            ends=time(10, 30),
            title="Simulation: Recognising victims of trafficking – Interviewing suspects",
            description="Five agency teams handle a trafficking case detected at the border.",
            room="Plenary room 1 and breakout rooms A–E",
            holds_run=True,
        ),
        SessionData(
            day=1,
            starts=time(11, 0),
            ends=time(12, 0),
            title="Reflection and closing",
            description="Collective reflection on the exercise and the reflection questionnaire (section 6.6).",
            room="Room 2.14",
        ),
    ),
)

COORDINATOR = PersonData(email="coordinator@example.org", first_name="Joanna", last_name="Wiśniewska")
FACILITATORS: tuple[PersonData, ...] = (
    PersonData(email="facilitator1@example.org", first_name="Marek", last_name="Zieliński"),
    PersonData(email="facilitator2@example.org", first_name="Franziska", last_name="Bäumer"),
)

# Three people per team, each playing their own kind of agency where the run has one
# (a prosecutor sits with law enforcement, an immigration officer with the border guards).
PARTICIPANTS: tuple[ParticipantData, ...] = (
    ParticipantData(
        email="participant01@example.org",
        first_name="Katarzyna",
        last_name="Wróblewska",
        agency_key="pl-cbsp",
        position="Detective sergeant, anti-trafficking unit",
        country="PL",
        preferred_language="pl",
        team_number=1,
    ),
    ParticipantData(
        email="participant02@example.org",
        first_name="Jürgen",
        last_name="Weiß",
        agency_key="de-bka",
        position="Detective chief inspector",
        country="DE",
        preferred_language="de",
        team_number=1,
    ),
    ParticipantData(
        email="participant03@example.org",
        first_name="Andreea",
        last_name="Ștefănescu",
        agency_key="ro-diicot",
        position="Prosecutor",
        country="RO",
        preferred_language="ro",
        team_number=1,
    ),
    ParticipantData(
        email="participant04@example.org",
        first_name="Paweł",
        last_name="Żak",
        agency_key="pl-border-guard",
        position="Border guard officer, Warsaw Chopin Airport post",
        country="PL",
        preferred_language="pl",
        team_number=2,
    ),
    ParticipantData(
        email="participant05@example.org",
        first_name="Mihai",
        last_name="Țurcanu",
        agency_key="ro-border-police",
        position="Border police inspector",
        country="RO",
        preferred_language="ro",
        team_number=2,
    ),
    ParticipantData(
        email="participant06@example.org",
        first_name="Стоян",
        last_name="Иванов",
        agency_key="bg-migration",
        position="Migration officer",
        country="BG",
        preferred_language="bg",
        team_number=2,
    ),
    ParticipantData(
        email="participant07@example.org",
        first_name="Małgorzata",
        last_name="Śliwińska",
        agency_key="pl-wcpr",
        position="Social worker",
        country="PL",
        preferred_language="pl",
        team_number=3,
    ),
    ParticipantData(
        email="participant08@example.org",
        first_name="Cristina",
        last_name="Mureșan",
        agency_key="ro-dgaspc",
        position="Psychologist",
        country="RO",
        preferred_language="ro",
        team_number=3,
    ),
    ParticipantData(
        email="participant09@example.org",
        first_name="Desislava",
        last_name="Nikolova",
        agency_key="bg-asp",
        position="Social worker",
        country="BG",
        preferred_language="bg",
        team_number=3,
    ),
    ParticipantData(
        email="participant10@example.org",
        first_name="Łukasz",
        last_name="Kołodziej",
        agency_key="pl-la-strada",
        position="Victim support counsellor",
        country="PL",
        preferred_language="pl",
        team_number=4,
    ),
    ParticipantData(
        email="participant11@example.org",
        first_name="Anneliese",
        last_name="Großmann",
        agency_key="de-kok",
        position="Legal adviser",
        country="DE",
        preferred_language="de",
        team_number=4,
    ),
    ParticipantData(
        email="participant12@example.org",
        first_name="Мария",
        last_name="Георгиева",
        agency_key="bg-animus",
        position="Case manager, crisis centre",
        country="BG",
        preferred_language="bg",
        team_number=4,
    ),
    ParticipantData(
        email="participant13@example.org",
        first_name="Tomasz",
        last_name="Różański",
        agency_key="pl-mswia",
        position="Senior specialist, anti-trafficking policy",
        country="PL",
        preferred_language="pl",
        team_number=5,
    ),
    ParticipantData(
        email="participant14@example.org",
        first_name="Ștefan",
        last_name="Moțoc",
        agency_key="ro-anitp",
        position="Regional centre coordinator",
        country="RO",
        preferred_language="ro",
        team_number=5,
    ),
    ParticipantData(
        email="participant15@example.org",
        first_name="Björn",
        last_name="Schäfer",
        agency_key="de-bmfsfj",
        position="Policy officer",
        country="DE",
        preferred_language="en",
        team_number=5,
    ),
)
