"""The team rooms and the cell room as pages: who sees which inject, attachment and message; the poll."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conduct.models import InjectDelivery, InjectRelease, Message, MessageRecipient
from conduct.services import message_send, run_advance
from conduct.tests.factories import InjectDeliveryFactory, InjectReleaseFactory
from conduct.tests.rooms import Room, room_run
from exercises.models import ExerciseRun, InjectAttachment, Phase
from exercises.tests.factories import InjectFactory, RunTeamFactory, TeamMembershipFactory, TeamRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room() -> Room:
    return room_run()


def _room(team) -> str:
    return reverse("conduct:team_room", kwargs={"pk": team.run_id, "team_pk": team.pk})


def _live(team, token: str = "") -> str:
    url = reverse("conduct:team_room_live", kwargs={"pk": team.run_id, "team_pk": team.pk})
    return f"{url}?v={token}" if token else url


def _cell(run) -> str:
    return reverse("conduct:cell_room", kwargs={"pk": run.pk})


def _released(room: Room, title: str, *teams, inject=None) -> InjectRelease:
    release = InjectReleaseFactory(run=room.run, title=title, inject=inject)
    for team in teams:
        InjectDeliveryFactory(release=release, team=team)
    return release


# --- who gets in -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "police", "border"),
    [
        ("alice", 200, 403),
        ("bob", 403, 200),
        ("facilitator", 200, 200),
        ("coordinator", 200, 200),
        ("olga", 404, 404),  # another run's participant, another cohort
        ("outsider", 404, 404),
        ("player", 404, 404),  # a guest role-player sees the cell room only
    ],
)
def test_a_participant_enters_only_their_own_teams_room(client, room: Room, who: str, police: int, border: int):
    client.force_login(getattr(room, who))
    assert client.get(_room(room.police)).status_code == police
    assert client.get(_room(room.border)).status_code == border
    # The poll answers the same, from its one query.
    assert client.get(_live(room.police)).status_code == police
    assert client.get(_live(room.border)).status_code == border


def test_no_room_before_the_teams_are_confirmed(client, room: Room):
    ExerciseRun.objects.filter(pk=room.run.pk).update(teams_confirmed_at=None)
    client.force_login(room.alice)
    assert client.get(_room(room.police)).status_code == 403
    assert client.get(_live(room.police)).status_code == 403
    client.force_login(room.facilitator)
    assert client.get(_room(room.police)).status_code == 200


def test_a_team_of_another_run_under_this_runs_address_is_not_found(client, room: Room):
    client.force_login(room.coordinator)
    url = reverse("conduct:team_room", kwargs={"pk": room.run.pk, "team_pk": room.other_team.pk})
    assert client.get(url).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, room: Room):
    assert client.get(_room(room.police))["Location"].startswith(reverse("account_login"))
    assert client.get(_live(room.police))["Location"].startswith(reverse("account_login"))
    htmx = client.get(_live(room.police), HTTP_HX_REQUEST="true")
    assert (htmx.status_code, htmx["HX-Refresh"]) == (204, "true")


# --- what each team sees -----------------------------------------------------------------------------


def test_a_team_sees_its_briefing_the_injects_released_to_it_newest_first_and_its_messages(client, room: Room):
    _released(room, "FIRST-INJECT", room.police)
    _released(room, "BORDER-ONLY", room.border)
    _released(room, "SECOND-INJECT", room.police, room.border)
    InjectReleaseFactory(run=room.run, title="SKIPPED-ONE", status=InjectRelease.Status.SKIPPED)
    message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], subject="TO-POL", body="b"
    )
    message_send(
        run=room.run, by=room.facilitator, recipient_teams=[room.border], subject="CONTROL-TO-BORDER", body="c"
    )
    message_send(
        run=room.run,
        by=room.player,
        sender_cell_role=room.embassy,
        recipient_teams=[room.police],
        subject="EMB",
        body="e",
    )
    ExerciseRun.objects.filter(pk=room.run.pk).update(video_url="https://video.test/plenary")
    room.police.video_url = "https://video.test/police"
    room.police.save()
    client.force_login(room.alice)

    page = client.get(_room(room.police)).text

    assert "POLICE-BRIEFING" in page
    assert "BORDER-BRIEFING" not in page
    assert page.index("SECOND-INJECT") < page.index("FIRST-INJECT")
    assert "BORDER-ONLY" not in page
    assert "SKIPPED-ONE" not in page
    assert "TO-POL" in page
    assert "EMB" in page
    assert "CONTROL-TO-BORDER" not in page
    assert "https://video.test/police" in page
    assert "https://video.test/plenary" in page
    assert page.count('value="acknowledge"') == 2
    assert 'hx-trigger="every 1s"' in page
    assert "htmx-2.min.js" in page


def test_the_staff_watch_a_room_without_acknowledging_and_write_as_control(client, room: Room):
    release = _released(room, "AN-INJECT", room.police)
    client.force_login(room.facilitator)
    page = client.get(_room(room.police)).text
    assert "AN-INJECT" in page
    assert 'value="acknowledge"' not in page

    delivery = InjectDelivery.objects.get(release=release)
    client.post(_room(room.police), {"action": "acknowledge", "delivery": delivery.pk})
    assert InjectDelivery.objects.get(pk=delivery.pk).acknowledged_at is None

    answer = client.post(_room(room.police), {"action": "send", "recipient_teams": [room.police.pk], "body": "Status?"})
    assert answer.status_code == 302
    sent = Message.objects.get(body="Status?")
    assert (sent.sender_team, sent.sender_cell_role, sent.sent_by) == (None, None, room.facilitator)


def test_acknowledging_from_the_room_records_who_and_when_and_a_second_press_says_so(client, room: Room):
    delivery = InjectDelivery.objects.get(release=_released(room, "AN-INJECT", room.police))
    client.force_login(room.alice)
    assert client.post(_room(room.police), {"action": "acknowledge", "delivery": delivery.pk}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == room.alice
    assert delivery.acknowledged_at is not None
    answer = client.post(_room(room.police), {"action": "acknowledge", "delivery": delivery.pk}, follow=True)
    assert "Already acknowledged" in answer.text
    # Another team's delivery is not found from this room.
    theirs = InjectDelivery.objects.get(release=_released(room, "B", room.border))
    assert client.post(_room(room.police), {"action": "acknowledge", "delivery": theirs.pk}).status_code == 404


def test_sending_from_the_room_and_refusals_keep_the_typed_message(client, room: Room):
    client.force_login(room.bob)
    answer = client.post(
        _room(room.border),
        {
            "action": "send",
            "recipient_teams": [room.police.pk],
            "recipient_cell_roles": [room.embassy.pk],
            "body": "Six",
        },
    )
    assert answer.status_code == 302
    sent = Message.objects.get(body="Six")
    assert sent.sender_team == room.border
    assert sent.recipients.count() == 2

    refused = client.post(_room(room.border), {"action": "send", "body": "NOBODY-TO-SEND-TO"})
    assert refused.status_code == 400
    assert "NOBODY-TO-SEND-TO" in refused.text
    other = client.post(_room(room.border), {"action": "send", "recipient_teams": [room.other_team.pk], "body": "x"})
    assert other.status_code == 400
    assert Message.objects.count() == 1


def test_opening_a_thread_is_the_teams_first_read_and_a_reply_answers_the_sender(client, room: Room):
    question = message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], subject="Passports", body="?"
    )
    url = reverse(
        "conduct:team_message", kwargs={"pk": room.run.pk, "team_pk": room.police.pk, "message_pk": question.pk}
    )
    client.force_login(room.facilitator)
    assert client.get(url).status_code == 200
    assert MessageRecipient.objects.get(message=question).first_read_at is None  # staff peeking

    client.force_login(room.alice)
    page = client.get(url)
    assert page.status_code == 200
    assert "Re: Passports" in page.text
    recipient = MessageRecipient.objects.get(message=question)
    assert recipient.first_read_by == room.alice

    answer = client.post(
        url, {"action": "send", "recipient_teams": [room.border.pk], "subject": "Re: Passports", "body": "Fine"}
    )
    assert answer.status_code == 302
    reply = Message.objects.get(body="Fine")
    assert reply.reply_to == question
    assert reply.sender_team == room.police
    recipient.refresh_from_db()
    assert recipient.first_reply_at == reply.sent_at

    # Bob sees the thread from his room; a message of neither team is not found there.
    other = message_send(run=room.run, by=room.facilitator, recipient_teams=[room.police], body="Police only")
    client.force_login(room.bob)
    border_url = reverse(
        "conduct:team_message", kwargs={"pk": room.run.pk, "team_pk": room.border.pk, "message_pk": other.pk}
    )
    assert client.get(border_url).status_code == 404


def test_an_attachment_is_served_only_once_its_inject_reached_the_team(client, room: Room, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inject = InjectFactory(exercise=room.run.exercise, title="Passport")
    attachment = InjectAttachment(inject=inject, title="Scanned passport")
    attachment.file.save("passport.pdf", ContentFile(b"%PDF-1.4 PASSPORT"), save=True)

    def url(team) -> str:
        return reverse(
            "conduct:team_attachment", kwargs={"pk": room.run.pk, "team_pk": team.pk, "attachment_pk": attachment.pk}
        )

    client.force_login(room.alice)
    assert client.get(url(room.police)).status_code == 404  # not released yet
    _released(room, "Passport", room.police, inject=inject)
    answer = client.get(url(room.police))
    assert answer.status_code == 200
    assert b"PASSPORT" in b"".join(answer.streaming_content)
    assert "Scanned passport" in client.get(_room(room.police)).text
    client.force_login(room.bob)
    assert client.get(url(room.border)).status_code == 404  # released to the police only
    assert client.get(url(room.police)).status_code == 403
    client.force_login(room.facilitator)
    assert client.get(url(room.border)).status_code == 404
    assert client.get(url(room.police)).status_code == 200


# --- the poll ----------------------------------------------------------------------------------------


def _token(client, team) -> str:
    page = client.get(_room(team)).text
    return page.split("?v=", 1)[1].split('"', 1)[0]


def test_the_poll_answers_204_until_something_changes_then_the_new_part(client, room: Room):
    client.force_login(room.alice)
    token = _token(client, room.police)
    assert client.get(_live(room.police, token)).status_code == 204

    _released(room, "NEW-INJECT", room.police)
    from exercises.services import run_live_bump

    run_live_bump(run_id=room.run.pk)  # as the release service does
    answer = client.get(_live(room.police, token))
    assert answer.status_code == 200
    assert "NEW-INJECT" in answer.text
    fresh = answer.text.split("?v=", 1)[1].split('"', 1)[0]
    assert fresh != token
    assert client.get(_live(room.police, fresh)).status_code == 204


def test_a_phase_change_and_a_message_reach_the_room_through_the_poll(client, room: Room):
    client.force_login(room.alice)
    token = _token(client, room.police)
    first = Phase.objects.get(exercise=room.run.exercise, order=1)
    run_advance(run=room.run, from_phase=first.pk, by=room.facilitator)
    answer = client.get(_live(room.police, token))
    assert "Crisis" in answer.text
    token = answer.text.split("?v=", 1)[1].split('"', 1)[0]
    message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], subject="LIVE-MSG", body="x"
    )
    assert "LIVE-MSG" in client.get(_live(room.police, token)).text


def _grow(room: Room, size: int) -> None:
    """More teams, members, injects and messages in the run."""
    for n in range(size):
        team = RunTeamFactory(run=room.run, team_role=TeamRoleFactory(exercise=room.run.exercise))
        TeamMembershipFactory(team=team)
        _released(room, f"grow {n}", room.police, team)
        message_send(run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police, team], body="x")


@pytest.mark.parametrize("who", ["alice", "facilitator"])
def test_the_poll_costs_three_queries_whatever_the_runs_size(client, room: Room, who, django_assert_num_queries):
    client.force_login(getattr(room, who))
    token = _token(client, room.police)
    with django_assert_num_queries(3):  # the session, the user, the run's version with the right to see it
        assert client.get(_live(room.police, token)).status_code == 204
    _grow(room, 8)
    token = _token(client, room.police)
    with django_assert_num_queries(3):
        assert client.get(_live(room.police, token)).status_code == 204


def test_the_rooms_live_part_has_a_fixed_number_of_queries(client, room: Room, django_assert_max_num_queries):
    client.force_login(room.alice)
    _grow(room, 2)
    with django_assert_max_num_queries(16) as small:
        client.get(_live(room.police))
    _grow(room, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_live(room.police))


# --- the cell room -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("player", 200), ("facilitator", 200), ("coordinator", 200), ("alice", 403), ("olga", 404), ("outsider", 404)],
)
def test_the_cell_room_is_for_its_members_and_the_staff(client, room: Room, who: str, status: int):
    client.force_login(getattr(room, who))
    assert client.get(_cell(room.run)).status_code == status
    assert client.get(reverse("conduct:cell_room_live", kwargs={"pk": room.run.pk})).status_code == status


def test_a_role_player_sees_the_injects_their_roles_deliver_and_messages_to_those_roles(client, room: Room):
    exercise = room.run.exercise
    InjectFactory(exercise=exercise, title="EMBASSY-PENDING", delivered_by=room.embassy, expected_actions="CALL-CONSUL")
    released = InjectFactory(exercise=exercise, title="EMBASSY-RELEASED", delivered_by=room.embassy)
    _released(room, "EMBASSY-RELEASED", room.police, inject=released)
    InjectFactory(exercise=exercise, title="MEDIA-INJECT", delivered_by=room.media)
    message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_cell_roles=[room.embassy],
        subject="TO-EMB",
        body="x",
    )
    message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_cell_roles=[room.media],
        subject="TO-MEDIA",
        body="x",
    )
    message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_teams=[room.police],
        subject="TEAMS-ONLY",
        body="x",
    )

    client.force_login(room.player)
    page = client.get(_cell(room.run)).text
    assert "EMBASSY-PENDING" in page
    assert "CALL-CONSUL" in page
    assert "EMBASSY-RELEASED" in page
    assert "MEDIA-INJECT" not in page
    assert "TO-MEDIA" not in page
    assert "TEAMS-ONLY" not in page
    assert "TO-EMB" in page

    client.force_login(room.facilitator)
    page = client.get(_cell(room.run)).text
    assert "MEDIA-INJECT" in page
    assert "TO-MEDIA" in page
    assert "TO-EMB" in page


def test_a_role_player_answers_in_their_role_and_opening_counts_as_the_roles_read(client, room: Room):
    question = message_send(
        run=room.run,
        by=room.bob,
        sender_team=room.border,
        recipient_cell_roles=[room.embassy],
        subject="Visa",
        body="?",
    )
    url = reverse("conduct:cell_message", kwargs={"pk": room.run.pk, "message_pk": question.pk})
    client.force_login(room.player)
    page = client.get(url)
    assert page.status_code == 200
    recipient = MessageRecipient.objects.get(message=question)
    assert recipient.first_read_by == room.player
    answer = client.post(
        url, {"sender_cell_role": room.embassy.pk, "recipient_teams": [room.border.pk], "body": "Visa valid"}
    )
    assert answer.status_code == 302
    reply = Message.objects.get(body="Visa valid")
    assert (reply.sender_cell_role, reply.reply_to) == (room.embassy, question)
    recipient.refresh_from_db()
    assert recipient.first_reply_at == reply.sent_at
    # The media is not theirs to play.
    refused = client.post(
        _cell(room.run), {"sender_cell_role": room.media.pk, "recipient_teams": [room.border.pk], "body": "No"}
    )
    assert refused.status_code == 400
    assert not Message.objects.filter(body="No").exists()
    # A message to the media is not found in their cell room.
    media = message_send(
        run=room.run, by=room.bob, sender_team=room.border, recipient_cell_roles=[room.media], body="m"
    )
    assert (
        client.get(reverse("conduct:cell_message", kwargs={"pk": room.run.pk, "message_pk": media.pk})).status_code
        == 404
    )


def test_the_cell_poll_costs_three_queries(client, room: Room, django_assert_num_queries):
    client.force_login(room.player)
    page = client.get(_cell(room.run)).text
    token = page.split("?v=", 1)[1].split('"', 1)[0]
    url = reverse("conduct:cell_room_live", kwargs={"pk": room.run.pk})
    with django_assert_num_queries(3):
        assert client.get(f"{url}?v={token}").status_code == 204


def test_the_run_page_leads_a_member_to_their_room_and_the_staff_to_every_room_and_the_cell(client, room: Room):
    client.force_login(room.alice)
    page = client.get(room.run.get_absolute_url()).text
    assert f'href="{_room(room.police)}"' in page
    assert f'href="{_room(room.border)}"' not in page
    assert f'href="{_cell(room.run)}"' not in page
    client.force_login(room.facilitator)
    page = client.get(room.run.get_absolute_url()).text
    assert f'href="{_room(room.police)}"' in page
    assert f'href="{_room(room.border)}"' in page
    assert f'href="{_cell(room.run)}"' in page
