"""The demo's people: a coordinator, two facilitators and fifteen participants, all signing in with
the printed password.

Accounts and profiles come from accounts' and participants' services; a rerun brings names and
profiles back to the seed and gives every account its role and the printed password again.
"""

from dataclasses import dataclass, field

from accounts import services as accounts_services
from accounts.models import Role, User
from demo import content
from demo.sync import Tally, changes
from participants import services as participant_services
from participants.models import Participant
from trainings.models import Agency


@dataclass
class People:
    coordinator: User
    facilitators: list[User]
    participants: list[Participant]
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, role label), in the order printed


def load_people(tally: Tally, agencies: dict[str, Agency], *, password_hash: str) -> People:
    coordinator = _load_staff(tally, content.COORDINATOR, Role.COORDINATOR, password_hash)
    facilitators = [_load_staff(tally, person, Role.FACILITATOR, password_hash) for person in content.FACILITATORS]
    participants = [_load_participant(tally, data, agencies, password_hash) for data in content.PARTICIPANTS]
    logins = [
        (coordinator.email, str(Role.COORDINATOR.label)),
        *((user.email, str(Role.FACILITATOR.label)) for user in facilitators),
        *((participant.user.email, str(Role.PARTICIPANT.label)) for participant in participants),
    ]
    return People(coordinator=coordinator, facilitators=facilitators, participants=participants, logins=logins)


def _load_staff(tally: Tally, person: content.PersonData, role: Role, password_hash: str) -> User:
    before = User.objects.filter(email__iexact=person.email).values("first_name", "last_name").first()
    user, created = accounts_services.user_get_or_create(
        email=person.email, first_name=person.first_name, last_name=person.last_name
    )
    if not created:  # the demo's own staff get their names back
        accounts_services.user_names_update(user=user, first_name=person.first_name, last_name=person.last_name)
    login_changed = _restore_login(tally, user, role, password_hash)
    names_changed = before is not None and before != {"first_name": person.first_name, "last_name": person.last_name}
    tally.note(User, created=created, changed=names_changed or login_changed)
    return user


def _load_participant(
    tally: Tally, data: content.ParticipantData, agencies: dict[str, Agency], password_hash: str
) -> Participant:
    agency = agencies[data.agency_key]
    profile = {"agency": agency, "position": data.position, "country": data.country}
    participant = Participant.objects.select_related("user").filter(user__email__iexact=data.email).first()
    user_existed = participant is not None or User.objects.filter(email__iexact=data.email).exists()
    names_changed = False
    if participant is None:
        # Finds or creates the account, and gives it the participant role.
        participant = participant_services.participant_create(
            email=data.email,
            first_name=data.first_name,
            last_name=data.last_name,
            agency=agency,
            position=data.position,
            country=data.country,
            preferred_language=data.preferred_language,
        )
        tally.note(Participant, created=True)
    else:
        names_differ = changes(participant.user, {"first_name": data.first_name, "last_name": data.last_name})
        profile_differs = changes(participant, profile)
        if participant.user.language != data.preferred_language:  # the account's, under the profile's name
            profile_differs["preferred_language"] = data.preferred_language
        if names_differ or profile_differs:
            # One service for both: the names live on the account, the rest on the profile.
            participant_services.participant_update(participant=participant, data={**names_differ, **profile_differs})
        names_changed = bool(names_differ)
        tally.note(Participant, changed=bool(profile_differs))
    login_changed = _restore_login(tally, participant.user, Role.PARTICIPANT, password_hash)
    tally.note(User, created=not user_existed, changed=names_changed or login_changed)
    return participant


def _restore_login(tally: Tally, user: User, role: Role, password_hash: str) -> bool:
    """Give the account its role and the printed password; say whether the account had to change."""
    if not user.groups.filter(name=role.value).exists():
        accounts_services.user_grant_role(user=user, role=role)
        tally.links_changed += 1
    if user.password == password_hash and user.is_active:
        return False
    # accounts has no service that sets a given password hash (the fixed-salt hash is the demo's
    # own), so this one write is direct. A new password revokes the account's API tokens, as
    # User.save does after set_password.
    user.password = password_hash
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    accounts_services.api_tokens_revoke(user=user)
    return True
