"""Permission-walk expectations for languages: one's own account page, and the switcher's target,
which only answers POST (tests/test_languages.py posts to it)."""

from typing import Any

EXPECTED: dict[str, tuple[Any, ...]] = {
    "accounts:account": ("redirect to login", 200, 200, 200, 200, 200),
    "set_language": (405,) * 6,
}
