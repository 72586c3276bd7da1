"""accounts.exports: the CSV delimiter a person chose is used and remembered; nothing else is accepted."""

import pytest

from accounts.exports import export_delimiter, export_delimiter_choices
from accounts.models import User
from accounts.tests.factories import UserFactory
from core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_the_choice_is_remembered_until_the_next_one():
    user = UserFactory()
    assert export_delimiter(user=user) == ","
    assert export_delimiter(user=user, requested="semicolon") == ";"
    assert User.objects.get(pk=user.pk).export_delimiter == ";"
    assert export_delimiter(user=User.objects.get(pk=user.pk)) == ";"
    assert export_delimiter(user=user, requested=",") == ","
    assert [c["value"] for c in export_delimiter_choices(user=user) if c["selected"]] == ["comma"]


@pytest.mark.parametrize("requested", ["tab", "|", "semicolon;drop table"])
def test_anything_else_is_refused_and_nothing_remembered(requested):
    user = UserFactory(export_delimiter=";")
    with pytest.raises(ApplicationError) as excinfo:
        export_delimiter(user=user, requested=requested)
    assert "delimiter" in excinfo.value.field_errors
    assert User.objects.get(pk=user.pk).export_delimiter == ";"
