"""``@audited``: the entry of a service write, in its transaction, named by target, fields and count."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from audit.decorators import audited
from audit.models import AuditEntry
from core.services import model_apply

pytestmark = pytest.mark.django_db


@transaction.atomic
@audited("group.update", target="group")
def group_update(*, group: Group, data: dict[str, Any]) -> Group:
    for name, value in data.items():
        setattr(group, name, value)
    group.save()
    return group


@transaction.atomic
@audited("group.create")
def group_create(*, name: str) -> Group:
    return Group.objects.create(name=name)


@transaction.atomic
@audited("group.delete", target="group")
def group_delete(*, group: Group) -> None:
    group.delete()


@audited("groups.sweep")
def groups_sweep(*, prefix: str) -> int:
    return Group.objects.filter(name__startswith=prefix).delete()[0]


def test_an_update_names_its_target_and_the_fields_given_never_their_values():
    group = group_create(name="Old")
    group_update(group=group, data={"name": "Secret name"})
    created, updated = AuditEntry.objects.order_by("id")
    assert (created.action, created.target_type, created.target_id) == ("group.create", "auth.group", str(group.pk))
    assert (updated.action, updated.target_id, updated.detail) == ("group.update", str(group.pk), {"fields": ["name"]})
    assert "Secret" not in str(updated.detail)


def test_a_deleted_target_keeps_its_id():
    group = group_create(name="Gone")
    pk = group.pk
    group_delete(group=group)
    entry = AuditEntry.objects.get(action="group.delete")
    assert (entry.target_type, entry.target_id) == ("auth.group", str(pk))


def test_a_count_is_kept_and_a_sweep_that_found_nothing_writes_nothing():
    group_create(name="tmp-1")
    assert groups_sweep(prefix="none-") == 0
    assert not AuditEntry.objects.filter(action="groups.sweep").exists()
    assert groups_sweep(prefix="tmp-") == 1
    assert AuditEntry.objects.get(action="groups.sweep").detail == {"count": 1}


class LaterFailure(Exception):
    pass


def _update_then_fail(group: Group) -> None:
    with transaction.atomic():
        group_update(group=group, data={"name": "Changed"})
        raise LaterFailure


def test_work_that_fails_leaves_no_entry():
    group = group_create(name="Kept")
    with pytest.raises(LaterFailure):
        _update_then_fail(group)
    assert not AuditEntry.objects.filter(action="group.update").exists()


@transaction.atomic
@audited("group.rename", target="group")
def group_rename(*, group: Group, data: dict[str, Any]) -> Group:
    if model_apply(instance=group, fields=["name"], data=data):
        group.save()
    return group


@transaction.atomic
@audited("groups.rename")
def groups_rename(*, data: dict[str, dict[str, str]]) -> int:
    """``data["name"]``: each group's new name by its old one."""
    groups = list(Group.objects.filter(name__in=data["name"]).order_by("name"))
    for group in groups:
        group_rename(group=group, data={"name": data["name"][group.name]})
    return len(groups)


def test_fields_the_write_compared_and_left_as_they_were_are_not_named():
    group = group_create(name="Same")
    group_rename(group=group, data={"name": "Same"})
    group_rename(group=group, data={"name": "Other"})
    unchanged, changed = AuditEntry.objects.filter(action="group.rename").order_by("id")
    assert (unchanged.detail, changed.detail) == ({"fields": []}, {"fields": ["name"]})
    # An outer write sees what the writes inside it compared: one group renamed is a change.
    group_create(name="Third")
    groups_rename(data={"name": {"Other": "Other", "Third": "Fourth"}})
    assert AuditEntry.objects.get(action="groups.rename").detail == {"fields": ["name"], "count": 2}
