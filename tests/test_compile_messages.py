"""scripts/compile_messages.py compiles the catalogues with polib and refuses fuzzy or broken translations."""

import gettext
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from scripts.compile_messages import compile_messages, main, problems

ROOT = Path(__file__).resolve().parent.parent
HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: pl\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"""


def _catalogue(root: Path, body: str, *, header: str = HEADER) -> Path:
    path = root / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def test_a_good_catalogue_compiles_to_a_mo_that_gettext_reads(tmp_path: Path) -> None:
    path = _catalogue(
        tmp_path,
        '#, python-format\nmsgctxt "certificate"\nmsgid "+%(count)d more"\nmsgstr "+%(count)d więcej"\n\n'
        'msgid "Untranslated yet"\nmsgstr ""\n\n'
        'msgid "%(count)d hour"\nmsgid_plural "%(count)d hours"\n'
        'msgstr[0] "%(count)d godzina"\nmsgstr[1] "%(count)d godziny"\nmsgstr[2] "%(count)d godzin"\n',
    )
    assert main(["compile_messages", str(tmp_path)]) == 0
    with path.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.pgettext("certificate", "+%(count)d more") == "+%(count)d więcej"
    assert catalogue.ngettext("%(count)d hour", "%(count)d hours", 5) == "%(count)d godzin"
    assert catalogue.gettext("Untranslated yet") == "Untranslated yet"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('#, fuzzy\nmsgid "Hours"\nmsgstr "Godziny"\n', "fuzzy"),
        ('#, python-format\nmsgid "+%(count)d more"\nmsgstr "+%(liczba)d więcej"\n', "placeholders"),
        ('#, python-format\nmsgid "%(start)s – %(end)s"\nmsgstr "%(start)s"\n', "placeholders"),
        ('#, python-format\nmsgid "%s of %s"\nmsgstr "%s z"\n', "placeholders"),
        ('#, python-brace-format\nmsgid "{count} more"\nmsgstr "{liczba} więcej"\n', "placeholders"),
        (
            'msgid "%(count)d hour"\nmsgid_plural "%(count)d hours"\n'
            'msgstr[0] "godzina"\nmsgstr[1] "%(n)d godziny"\nmsgstr[2] "%(count)d godzin"\n',
            "plural",
        ),
    ],
)
def test_a_fuzzy_entry_or_a_placeholder_mismatch_is_refused(tmp_path: Path, body: str, complaint: str) -> None:
    path = _catalogue(tmp_path, body)
    found = compile_messages(tmp_path)
    assert len(found) == 1
    assert complaint in found[0]
    assert str(path) in found[0]
    assert not path.with_suffix(".mo").exists()
    assert main(["compile_messages", str(tmp_path)]) == 1


def test_a_fuzzy_header_is_refused(tmp_path: Path) -> None:
    _catalogue(tmp_path, 'msgid "Hours"\nmsgstr "Godziny"\n', header="#, fuzzy\n" + HEADER)
    assert "header" in compile_messages(tmp_path)[0]


def test_the_script_exits_1_on_a_problem(tmp_path: Path) -> None:
    _catalogue(tmp_path, '#, fuzzy\nmsgid "Hours"\nmsgstr "Godziny"\n')
    result = subprocess.run(  # noqa: S603 - this interpreter and our own script
        [sys.executable, str(ROOT / "scripts" / "compile_messages.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "fuzzy" in result.stderr


def test_the_shipped_catalogues_have_no_problem_and_polish_exists() -> None:
    catalogues = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
    assert ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po" in catalogues
    for path in catalogues:
        po = polib.pofile(str(path))
        assert problems(po, path) == []  # completeness: tests/test_translations.py
