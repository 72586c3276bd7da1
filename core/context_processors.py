from typing import Any

from django.http import HttpRequest

from core.languages import ui_languages as _ui_languages


def ui_languages(request: HttpRequest) -> dict[str, Any]:
    """The languages the switcher offers (``templates/includes/_language_switcher.html``)."""
    return {"ui_languages": _ui_languages()}
