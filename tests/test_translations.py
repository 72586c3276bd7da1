"""The interface is translated into every language it declares, in the agencies' own terms.

- every catalogue of an interface language (``CONCORD_UI_LANGUAGES``) translates every message, with
  nothing fuzzy and the source's placeholders (``scripts/compile_messages.problems``);
- the catalogues hold exactly the messages the code and templates mark today (``make extract-messages``);
- where a message names a term of ``docs/glossary.csv``, its translations use the glossary's term.
"""

import csv
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings

from scripts.compile_messages import problems

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The languages the interface is declared in (core.middleware.InterfaceLanguageMiddleware): complete ones.
TRANSLATED = [code for code in settings.CONCORD_UI_LANGUAGES if code != settings.LANGUAGE_CODE]
GLOSSARY = ROOT / "docs" / "glossary.csv"
# Messages where a glossary word is used in another sense (the msgid, then the glossary's English term).
NOT_THE_TERM: set[tuple[str, str]] = set()


@cache
def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_nothing_fuzzy_and_the_same_placeholders(language: str) -> None:
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not all(_translations(entry))]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}, e.g. {untranslated[:10]}"
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"])[1])
    short = [e.msgid for e in po if e.msgid_plural and len([s for s in e.msgstr_plural.values() if s]) < nplurals]
    assert not short, f"plural forms missing in {language}: {short[:10]}"
    assert not problems(po, Path(language)), problems(po, Path(language))[:10]


def test_the_catalogues_hold_exactly_the_messages_marked_in_the_code(tmp_path: Path) -> None:
    """Extract afresh in a copy of the source (makemessages writes beside the code it reads)."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to extract messages: apt-get install gettext")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "staticfiles", "media", "*.mo", "__pycache__"),
    )
    subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "-m", "scripts.extract_messages", "--language", CATALOGUES[0]],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {_key(e) for e in polib.pofile(str(copy / "locale" / CATALOGUES[0] / "LC_MESSAGES" / "django.po"))}
    for language in CATALOGUES:
        held = {_key(e) for e in catalogue(language) if not e.obsolete}
        assert not fresh - held, f"not in {language}'s catalogue (make extract-messages): {sorted(fresh - held)[:10]}"
        assert not held - fresh, f"no longer in the code, still in {language}'s: {sorted(held - fresh)[:10]}"
        assert not [e for e in catalogue(language) if e.obsolete], f"obsolete entries left in {language}'s"


@cache
def glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _stems(term: str) -> list[str]:
    """A term's words cut to their stems, so inflected forms match (Straży Granicznej, Граничната полиция)."""
    return [word[: max(3, len(word) - 2)].casefold() for word in term.split()]


def uses_term(text: str, alternatives: str) -> bool:
    folded = text.casefold()
    return any(all(stem in folded for stem in _stems(alternative)) for alternative in alternatives.split("|"))


def test_the_glossary_names_every_term_in_every_language() -> None:
    rows = glossary()
    assert rows
    for row in rows:
        for language in [settings.LANGUAGE_CODE, *CATALOGUES]:
            assert row[language].strip(), f"{row['en']!r} has no {language} term"


def test_term_matching_takes_inflections_and_refuses_other_words() -> None:
    assert uses_term("Funkcjonariusze Straży Granicznej", "Straż Graniczna")
    assert uses_term("Граничната полиция", "Гранична полиция")
    assert uses_term("Menschenhandelsopfer", "Opfer|Betroffene")
    assert not uses_term("Policja", "Straż Graniczna")


def test_placeholders_are_not_terms() -> None:
    assert _words("The run of %(exercise)s in %(cohort)s") == "The run of   in  "
    assert _words("{cohort} starts") == "  starts"


# Placeholders name values, not terms: "%(cohort)s" is a cohort's name, "{exercise}" an exercise's.
PLACEHOLDER = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}")


def _words(msgid: str) -> str:
    return PLACEHOLDER.sub(" ", msgid)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_use_the_glossarys_terms(language: str) -> None:
    misses = []
    for row in glossary():
        english = re.compile(r"\b" + r"\s+".join(map(re.escape, row["en"].split())) + r"(?:s|es)?\b", re.IGNORECASE)
        for entry in catalogue(language):
            if entry.obsolete or (entry.msgid, row["en"]) in NOT_THE_TERM:
                continue
            sources = [_words(entry.msgid), _words(entry.msgid_plural or "")]
            if not any(english.search(source) for source in sources):
                continue
            for text in _translations(entry):
                if text and not uses_term(text, row[language]):
                    misses.append(f"{row['en']!r} in {entry.msgid!r}: {text!r}")
    assert not misses, f"{len(misses)} translations in {language} without the glossary's term: {misses[:15]}"
