"""Small steps the browser tests share."""

from typing import Any


def open_menu(page: Any) -> None:
    """Open the header's menu when it is collapsed behind its button (a phone-sized window)."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
