from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ApplicationError(ValidationError):
    """The one error a service raises when it refuses a request; nothing was saved.

    ``message`` is shown to the person as is; ``field_errors`` maps field names (or ``__all__``) to messages so forms
    and the API put each message next to its field. It is a Django ``ValidationError`` (with every
    message in ``message_dict``), so forms, ``full_clean`` callers and the API handle it one way.
    """

    def __init__(self, message: Any = "", *, field_errors: Mapping[str, Sequence[Any]] | None = None) -> None:
        self.field_errors = {
            key: [str(m) for m in messages] for key, messages in (field_errors or {}).items() if messages
        }
        errors: dict[str, list[str]] = {key: list(messages) for key, messages in self.field_errors.items()}
        if message:
            errors.setdefault(NON_FIELD_ERRORS, []).append(str(message))
        initial: dict[str, Any] = dict(errors) if errors else {NON_FIELD_ERRORS: [""]}
        super().__init__(initial)
        self.message = str(message)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "ApplicationError":
        """A Django ValidationError (from ``full_clean`` or a validator) as the services' one error."""
        if isinstance(error, ApplicationError):
            return error
        if hasattr(error, "error_dict"):
            return cls(field_errors=error.message_dict)
        return cls(field_errors={NON_FIELD_ERRORS: error.messages})

    def as_dict(self) -> dict[str, list[str]]:
        """Field errors, then the general message under ``non_field_errors`` (the API's shape)."""
        errors = {
            ("non_field_errors" if key == NON_FIELD_ERRORS else key): list(messages)
            for key, messages in self.field_errors.items()
        }
        if self.message:
            errors.setdefault("non_field_errors", []).append(str(self.message))
        return errors
