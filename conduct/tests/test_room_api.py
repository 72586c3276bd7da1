"""The rooms over the API: /api/v1/team-rooms/, /api/v1/inject-deliveries/, /api/v1/messages/."""

import pytest
from rest_framework.test import APIClient

from conduct.models import InjectDelivery, Message, MessageRecipient
from conduct.services import message_send, run_finish
from conduct.tests.factories import InjectDeliveryFactory, InjectReleaseFactory
from conduct.tests.rooms import Room, room_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def room() -> Room:
    return room_run()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _deliver(room: Room, title: str, *teams) -> list[InjectDelivery]:
    release = InjectReleaseFactory(run=room.run, title=title)
    return [InjectDeliveryFactory(release=release, team=team) for team in teams]


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 403), ("facilitator", 200), ("coordinator", 200), ("olga", 404), ("player", 404)],
)
def test_a_team_room_is_for_its_members_and_the_staff(room: Room, who: str, status: int):
    assert _api(getattr(room, who)).get(f"/api/v1/team-rooms/{room.police.pk}/").status_code == status


def test_the_room_state_carries_its_version_injects_and_messages(room: Room):
    _deliver(room, "FOR-POLICE", room.police)
    _deliver(room, "FOR-BORDER", room.border)
    message_send(run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], body="Six")

    data = _api(room.alice).get(f"/api/v1/team-rooms/{room.police.pk}/").json()

    room.run.refresh_from_db()
    assert data["version"] == room.run.live_version
    assert data["briefing"] == "POLICE-BRIEFING"
    assert [d["title"] for d in data["deliveries"]] == ["FOR-POLICE"]
    assert [(m["sender"], m["body"]) for m in data["messages"]] == [(str(room.border), "Six")]
    assert data["clock"]["phase"]["name"] == "Briefing"


def test_deliveries_list_only_ones_own_team_and_members_acknowledge(room: Room):
    (police,) = _deliver(room, "P", room.police)
    (border,) = _deliver(room, "B", room.border)
    alice = _api(room.alice)
    assert [d["id"] for d in alice.get("/api/v1/inject-deliveries/").json()["results"]] == [police.pk]
    assert alice.get(f"/api/v1/inject-deliveries/{border.pk}/").status_code == 404
    staff = _api(room.facilitator).get(f"/api/v1/inject-deliveries/?run={room.run.pk}").json()["results"]
    assert {d["id"] for d in staff} == {police.pk, border.pk}
    assert _api(room.olga).get("/api/v1/inject-deliveries/").json()["results"] == []

    # The staff see it but cannot acknowledge; another team's member cannot find it.
    assert _api(room.facilitator).post(f"/api/v1/inject-deliveries/{police.pk}/acknowledge/").status_code == 403
    assert _api(room.bob).post(f"/api/v1/inject-deliveries/{police.pk}/acknowledge/").status_code == 404
    first = alice.post(f"/api/v1/inject-deliveries/{police.pk}/acknowledge/")
    assert first.status_code == 200
    assert first.json()["acknowledged_by"] == str(room.alice)
    again = alice.post(f"/api/v1/inject-deliveries/{police.pk}/acknowledge/")
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]

    run_finish(run=room.run, by=room.facilitator)
    late = _api(room.bob).post(f"/api/v1/inject-deliveries/{border.pk}/acknowledge/")
    assert late.status_code == 400
    assert "non_field_errors" in late.json()
    assert InjectDelivery.objects.get(pk=border.pk).acknowledged_at is None


def test_messages_are_sent_listed_and_read_with_the_same_rules(room: Room):
    bob = _api(room.bob)
    sent = bob.post(
        "/api/v1/messages/",
        {
            "run": room.run.pk,
            "sender_team": room.border.pk,
            "recipient_teams": [room.police.pk],
            "recipient_cell_roles": [room.embassy.pk],
            "subject": "Passports",
            "body": "Six persons with irregular documents.",
        },
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    message_id = sent.json()["id"]
    control = message_send(run=room.run, by=room.facilitator, recipient_teams=[room.border], body="Border only")

    def ids(user, query: str = "") -> set[int]:
        return {m["id"] for m in _api(user).get(f"/api/v1/messages/{query}").json()["results"]}

    assert ids(room.alice) == {message_id}
    assert ids(room.bob) == {message_id, control.pk}
    assert ids(room.player) == {message_id}
    assert ids(room.facilitator, f"?run={room.run.pk}") == {message_id, control.pk}
    assert ids(room.facilitator, f"?team={room.police.pk}") == {message_id}
    assert ids(room.olga) == set()
    assert _api(room.olga).get(f"/api/v1/messages/{message_id}/").status_code == 404

    # Reading: the staff's read is not the team's; the member's is, once.
    _api(room.facilitator).post(f"/api/v1/messages/{message_id}/read/")
    assert MessageRecipient.objects.get(message_id=message_id, team=room.police).first_read_at is None
    read = _api(room.alice).post(f"/api/v1/messages/{message_id}/read/").json()
    police = next(r for r in read["recipients"] if r["team"] == room.police.pk)
    assert police["first_read_at"] is not None

    reply = _api(room.alice).post(
        "/api/v1/messages/",
        {
            "run": room.run.pk,
            "sender_team": room.police.pk,
            "recipient_teams": [room.border.pk],
            "body": "On our way.",
            "reply_to": message_id,
        },
        format="json",
    )
    assert reply.status_code == 201
    assert MessageRecipient.objects.get(message_id=message_id, team=room.police).first_reply_at is not None


def test_refused_messages_answer_400_and_write_nothing(room: Room):
    bob = _api(room.bob)
    base = {"run": room.run.pk, "sender_team": room.border.pk, "body": "x"}
    cases = [
        ({**base, "recipient_teams": [room.other_team.pk]}, "recipient_teams"),  # another cohort's team: unknown
        ({**base, "recipient_teams": []}, "recipient_teams"),
        ({**base, "recipient_teams": [room.police.pk], "body": ""}, "body"),
        ({**base, "sender_team": room.police.pk, "recipient_teams": [room.border.pk]}, "sender_team"),
    ]
    for payload, field in cases:
        answer = bob.post("/api/v1/messages/", payload, format="json")
        assert answer.status_code == 400, payload
        assert field in answer.json(), answer.json()
    assert Message.objects.count() == 0


def test_a_guest_role_player_sends_in_their_role(room: Room):
    answer = _api(room.player).post(
        "/api/v1/messages/",
        {
            "run": room.run.pk,
            "sender_cell_role": room.embassy.pk,
            "recipient_teams": [room.border.pk],
            "body": "Consul",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["sender"] == "Embassy"


def test_the_lists_have_a_fixed_number_of_queries(room: Room, django_assert_max_num_queries):
    alice = _api(room.alice)

    def grow(n: int) -> None:
        for i in range(n):
            _deliver(room, f"I{i}", room.police, room.border)
            message_send(run=room.run, by=room.bob, sender_team=room.border, recipient_teams=[room.police], body="m")

    grow(2)
    counts = {}
    for url in ("/api/v1/inject-deliveries/", "/api/v1/messages/", f"/api/v1/team-rooms/{room.police.pk}/"):
        with django_assert_max_num_queries(20) as small:
            assert alice.get(url).status_code == 200
        counts[url] = len(small.captured_queries)
    grow(8)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            alice.get(url)
