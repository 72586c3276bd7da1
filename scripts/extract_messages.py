"""Extract the marked messages into locale/<language>/LC_MESSAGES/django.po (GNU gettext's xgettext).

Usage: ``python -m scripts.extract_messages [--language pl ...]``; without ``--language``, every language
of ``settings.LANGUAGES`` but the source one. Entries no longer in the code are dropped, not kept as
obsolete; ``scripts/compile_messages.py`` then compiles the catalogues.
"""

import argparse
import os
import sys
from pathlib import Path

import django
import polib
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PLURAL_FORMS = {
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    "de": "nplurals=2; plural=(n != 1);",
    "bg": "nplurals=2; plural=(n != 1);",
}
IGNORE = [".venv", "staticfiles", "media", "node_modules", "benchmarks", "docs"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", action="append")
    arguments = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.conf import settings

    languages = arguments.language or [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    call_command(
        "makemessages", locale=languages, add_location="file", ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
    )
    for language in languages:
        path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        # A steady header: no creation dates, so a run that changes no message changes no line.
        po.header = "Concord's interface. Translations follow docs/glossary.csv."
        po.metadata_is_fuzzy = False
        po.metadata = {
            "Project-Id-Version": "Concord",
            "Language": language,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": PLURAL_FORMS.get(language, po.metadata.get("Plural-Forms", "")),
        }
        # msgmerge guesses ("fuzzy") from similar messages: a guess is not a translation.
        for entry in po:
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "") if entry.msgid_plural else {}
        po.save()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
