"""The migration that gives every person one language: participants' preferred_language moves to the
account, and the stored default comma of exports becomes "not chosen" (the language decides)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User

BEFORE = [("accounts", "0004_user_export_delimiter"), ("participants", "0002_roster_import_parsed")]


@pytest.mark.django_db(transaction=True)
def test_the_participants_language_moves_to_the_account():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldUser = old.get_model("accounts", "User")
    Participant = old.get_model("participants", "Participant")
    ro = OldUser.objects.create(email="ro@example.org", export_delimiter=",")
    Participant.objects.create(user=ro, preferred_language="ro")
    staff = OldUser.objects.create(email="staff@example.org", export_delimiter=";")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get(email="ro@example.org").language == "ro"
    assert User.objects.get(email="ro@example.org").export_delimiter == ""  # the old default: not chosen
    assert (User.objects.get(pk=staff.pk).language, User.objects.get(pk=staff.pk).export_delimiter) == ("", ";")
