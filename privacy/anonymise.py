"""Taking a person's name and e-mail address out of free text (pure: no ORM).

Erasure replaces them by the anonymous label everywhere a holding's ``text`` fields may name the person:
the e-mail address, the full name in the orders people write it ("Maria Nowak", "Nowak Maria",
"Nowak, Maria"), then the last name and the first name alone, as whole words, whatever their case.
"""

import re
from dataclasses import dataclass, field


def _whole(term: str) -> str:
    # Lookarounds rather than \b: a name may start or end with a character that is not a word character.
    return rf"(?<!\w){term}(?!\w)"


@dataclass(frozen=True)
class Scrubber:
    email: str
    first_name: str
    last_name: str
    label: str
    _pattern: "re.Pattern[str] | None" = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first, last = self.first_name.strip(), self.last_name.strip()
        terms: list[str] = []
        if self.email.strip():
            terms.append(re.escape(self.email.strip()))
        if first and last:
            space = r"\s+"
            terms += [
                _whole(re.escape(first) + space + re.escape(last)),
                _whole(re.escape(last) + space + re.escape(first)),
                _whole(re.escape(last) + r"\s*,\s*" + re.escape(first)),
            ]
        # Names of one letter would take letters out of every word: they are left to the full forms.
        terms += [_whole(re.escape(name)) for name in (last, first) if len(name) > 1]
        pattern = re.compile("|".join(terms), re.IGNORECASE) if terms else None
        object.__setattr__(self, "_pattern", pattern)

    @property
    def full_name(self) -> str:
        return f"{self.first_name.strip()} {self.last_name.strip()}".strip()

    def search_terms(self) -> list[str]:
        """What a database search for other rows naming the person looks for (case-insensitive)."""
        return [term for term in (self.email.strip(), self.full_name) if term]

    def scrub(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda _match: self.label, text)

    def names(self, text: str) -> bool:
        return bool(text) and self._pattern is not None and self._pattern.search(text) is not None
