from typing import Any


class ApplicationError(Exception):
    """A business rule refused the request; the message is shown to the user as is.

    ``field_errors`` maps field names to messages, like Django's ValidationError,
    so forms and the API can put each message next to its field.
    """

    def __init__(self, message: Any = "", *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field_errors = field_errors or {}

    def as_dict(self) -> dict[str, list[str]]:
        errors = {key: [str(m) for m in messages] for key, messages in self.field_errors.items()}
        if self.message:
            errors.setdefault("non_field_errors", []).append(self.message)
        return errors
