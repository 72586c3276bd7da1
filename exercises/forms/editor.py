"""The plan editor's buttons when the page runs without JavaScript: add a row, move a row up or down.

Each turns the submitted data into the data of the same page after the click; nothing is saved
until the person presses Save. ``static/js/editor.js`` does the same in the page. Rows are shown in
the order of their numbers, and a move numbers the rows that are kept 1, 2, 3 … in their new order,
as the service wants them. A row's number carries its initial value in a hidden field, so that a row
that was added and left alone stays "unchanged" and is ignored on saving, like a blank extra row.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.forms import BaseForm
from django.http import QueryDict

ACTION = "editor-action"
SAVE = "save"
ADD = "add"
_MOVE = re.compile(r"(up|down)-([0-9]{1,4})")


def editor_action(data: Mapping[str, Any]) -> tuple[str, int | None]:
    """``("save", None)``, ``("add", None)``, ``("up", 3)`` or ``("down", 3)`` (3: the row's form index)."""
    value = str(data.get(ACTION) or SAVE)
    if value == ADD:
        return ADD, None
    if match := _MOVE.fullmatch(value):
        return match.group(1), int(match.group(2))
    return SAVE, None


def _total(data: Mapping[str, Any], prefix: str) -> int:
    try:
        return max(0, int(data.get(f"{prefix}-TOTAL_FORMS") or 0))
    except ValueError:
        return 0


def _number(data: Mapping[str, Any], key: str) -> int | None:
    value = str(data.get(key) or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _removed(data: Mapping[str, Any], prefix: str, index: int) -> bool:
    return bool(data.get(f"{prefix}-{index}-DELETE"))


def row_order(data: Mapping[str, Any] | None, *, prefix: str, number_field: str | None, count: int) -> list[int]:
    """The form indexes in the order the page shows them: by number, rows without one last."""
    if data is None or number_field is None:
        return list(range(count))

    def key(index: int) -> tuple[int, int, int]:
        number = _number(data, f"{prefix}-{index}-{number_field}")
        return (number is None, number or 0, index)

    return sorted(range(count), key=key)


def _renumber(data: QueryDict, *, prefix: str, number_field: str, order: Sequence[int]) -> None:
    number = 0
    for index in order:
        if _removed(data, prefix, index):
            continue
        number += 1
        data[f"{prefix}-{index}-{number_field}"] = str(number)
        if not data.get(f"{prefix}-{index}-id"):
            # A new row stays "unchanged" (ignored on saving) until the person fills it in.
            data[f"initial-{prefix}-{index}-{number_field}"] = str(number)


def blank_row_data(empty_form: BaseForm, *, index: int) -> dict[str, list[str]]:
    """What a browser submits from an untouched copy of the formset's empty form put at ``index``
    (what editor.js clones): the fields' initial values, so that the row counts as unchanged."""
    data = {}
    for name in empty_form.fields:
        value = empty_form[name].initial
        if value is None or value is False or value == "":
            continue
        values = value if isinstance(value, list | tuple) else [value]
        key = empty_form.add_prefix(name).replace("__prefix__", str(index))
        data[key] = ["on" if v is True else str(v) for v in values]
    return data


def editor_data(
    data: QueryDict,
    *,
    prefix: str,
    number_field: str | None,
    action: str,
    index: int | None,
    max_rows: int,
    empty_form: BaseForm,
) -> QueryDict:
    """The data after the click: a copy of ``data`` with one more row, or with a row moved."""
    data = data.copy()
    total = _total(data, prefix)
    if action == ADD and total < max_rows:
        data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        for key, values in blank_row_data(empty_form, index=total).items():
            data.setlist(key, values)
        if number_field is not None:
            kept = [
                n
                for i in range(total)
                if not _removed(data, prefix, i) and (n := _number(data, f"{prefix}-{i}-{number_field}")) is not None
            ]
            following = str(max(kept, default=0) + 1)
            data[f"{prefix}-{total}-{number_field}"] = following
            data[f"initial-{prefix}-{total}-{number_field}"] = following
    elif action in ("up", "down") and number_field is not None and index is not None and index < total:
        order = row_order(data, prefix=prefix, number_field=number_field, count=total)
        position = order.index(index)
        target = position - 1 if action == "up" else position + 1
        if 0 <= target < len(order):
            order[position], order[target] = order[target], order[position]
            _renumber(data, prefix=prefix, number_field=number_field, order=order)
    return data
