"""Compile every locale/*/LC_MESSAGES/*.po to .mo with polib: no system gettext needed.

Refuses (exit 1, nothing written for that file) a catalogue with a fuzzy entry or fuzzy header, or a
translation whose placeholders differ from its msgid's: ``%(name)s``, ``%s`` and ``{name}``. An empty
msgstr is allowed (gettext falls back to the msgid). Usage: ``python scripts/compile_messages.py [root]``.
"""

import re
import sys
from collections import Counter
from pathlib import Path

import polib

PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conversion>[diouxXeEfFgGcrsa%])"
)
BRACE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_]\w*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str, entry: polib.POEntry) -> Counter[str]:
    """The placeholders of ``text``: named %-ones always, positional %-ones and {} ones when flagged."""
    found: Counter[str] = Counter()
    for match in PERCENT.finditer(text):
        if match["conversion"] == "%":
            continue
        if match["name"] is not None:
            found[f"%({match['name']}){match['conversion']}"] += 1
        elif "python-format" in entry.flags:
            found[f"%{match['conversion']}"] += 1
    if "python-brace-format" in entry.flags or BRACE.search(entry.msgid):
        for match in BRACE.finditer(text):
            found[f"{{{match['field']}}}"] += 1
    return found


def problems(po: polib.POFile, path: Path) -> list[str]:
    found = []
    if po.metadata_is_fuzzy:
        found.append(f"{path}: the header is marked fuzzy")
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{path}:{entry.linenum}: {entry.msgid!r}"
        if entry.fuzzy:
            found.append(f"{where} is marked fuzzy")
            continue
        if entry.msgid_plural:
            source = placeholders(entry.msgid, entry) | placeholders(entry.msgid_plural, entry)
            forms = [placeholders(text, entry) for text in entry.msgstr_plural.values() if text]
            # A form (such as the singular) may leave a placeholder out, but none may add one.
            if any(set(form) - set(source) for form in forms) or (forms and set().union(*forms) != set(source)):
                found.append(f"{where}: placeholders {sorted(source)} differ in the plural translations")
        elif entry.msgstr:
            expected, translated = placeholders(entry.msgid, entry), placeholders(entry.msgstr, entry)
            if expected != translated:
                found.append(f"{where}: placeholders {sorted(expected)} became {sorted(translated)}")
    return found


def compile_messages(root: Path) -> list[str]:
    """Compile every catalogue under ``root/locale``; the problems found (catalogues with one are skipped)."""
    found: list[str] = []
    for path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        try:
            po = polib.pofile(str(path), check_for_duplicates=True)
        except (OSError, ValueError) as error:
            found.append(f"{path}: {error}")
            continue
        trouble = problems(po, path)
        if trouble:
            found.extend(trouble)
            continue
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = compile_messages(root)
    for problem in found:
        sys.stderr.write(problem + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
