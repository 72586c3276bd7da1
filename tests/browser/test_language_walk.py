"""The main pages in Bulgarian and in Polish at phone size (issue #12): declared in the language they are in.

Each page must say ``<html lang="bg">`` (or ``pl``), pass axe (serious and critical), and show no English
left over: no visible text node (nor aria-label, title, placeholder or alt) may equal an English msgid of
``locale/<lang>/LC_MESSAGES/django.po`` whose translation differs from it. Placeholders of a msgid
(``%(name)s``) match any text. The brand "Concord", numbers, e-mail addresses and the world's own data
(names of people, cohorts, teams…) are not interface text and are left alone. Screenshots go to
test-artifacts/screenshots/<lang>/phone/.

Until the translators finish, this fails (it lists what is left in English): run it alone with
``pytest tests/browser -k language_walk``.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings

from tests.browser.a11y import SIZES, axe_violations, open_page, screenshot, sign_in, walk
from tests.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["bg", "pl"]
# The main pages, by who opens them (keys of tests.browser.a11y.WALKS' pages).
PAGES = {
    "anonymous": ["sign-in", "password-reset"],
    "participant": ["dashboard", "cohort", "run", "team-room", "reflections-answer", "profile"],
    "coordinator": [
        "cohorts",
        "agenda",
        "roster",
        "attendance",
        "courses",
        "objectives",
        "exercises",
        "exercise-guide",
        "console",
        "certificates",
        "run-report",
        "jobs",
        "not-found",
    ],
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
NOT_INTERFACE = re.compile(r"^[\W\d_]*$|@")  # no letters at all, or an e-mail address

TEXTS_JS = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest("script, style, template") || !parent.checkVisibility()) continue;
    texts.push(walker.currentNode.nodeValue);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts;
}"""


@dataclass(frozen=True)
class Catalogue:
    exact: frozenset[str]  # msgids shown as they are
    patterns: tuple[re.Pattern[str], ...]  # msgids with placeholders, as whole-text patterns


@cache
def english_of(lang: str) -> Catalogue:
    """The msgids of ``lang``'s catalogue whose translation is missing, fuzzy or different from the English."""
    path = Path(django_settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / "django.po"
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        untranslated = entry.fuzzy or not all(translations)
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if not untranslated and msgid in translations:
                continue  # the same word in both languages ("OK", "Email")
            if PLACEHOLDER.search(msgid):
                literal = PLACEHOLDER.sub("", msgid)
                if len(re.sub(r"\W", "", literal)) >= 3:  # "%(a)s – %(b)s" would match anything
                    parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
                    patterns.append(re.compile(r".+?".join(parts), re.S))
            else:
                exact.add(msgid)
    return Catalogue(frozenset(exact), tuple(patterns))


def world_data(world: World) -> set[str]:
    """What the world's factories wrote: names and titles are data, whatever the language."""
    strings = {str(o) for o in world.objects()}
    strings |= {str(u) for u in world.users.values() if u is not None}
    strings |= {world.agency.name, world.objective.title, world.objective.code, "Concord"}
    for exercise in (world.exercise, world.exercise_other):
        strings |= {exercise.name, *(p.name for p in exercise.phases.all()), *(i.title for i in exercise.injects.all())}
    return strings


def english_left(texts: list[str], *, lang: str, data: set[str]) -> list[str]:
    catalogue = english_of(lang)
    left: list[str] = []
    for raw in texts:
        # "Dashboard · Concord", "Cohort 0 · Concord": the site joins words with a middle dot; each part counts.
        for text in " ".join((raw or "").split()).split(" · "):
            if not text or text in data or NOT_INTERFACE.search(text):
                continue
            bare = text.rstrip(":").strip()  # Django's label suffix
            if text in catalogue.exact or bare in catalogue.exact or any(p.fullmatch(text) for p in catalogue.patterns):
                left.append(text)
    return sorted(set(left))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_walk(browser, live_server, settings, lang):
    settings.CONCORD_UI_LANGUAGES = ["en", *LANGUAGES]  # the live server runs in this process: it sees this
    world = build_world()
    for user in {world.participant.user, *(u for u in world.users.values() if u is not None)}:
        user.language = lang  # everybody's own choice: it wins over the browser's
        user.save(update_fields=["language"])
    data = world_data(world)
    found: list[str] = []
    for role, keys in PAGES.items():
        context = browser.new_context(viewport=SIZES["phone"], locale=lang)
        context.set_default_timeout(15000)
        domain = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "domain": domain, "path": "/"}]
        )
        page = context.new_page()
        try:
            if role != "anonymous":
                sign_in(page, live_server.url, world.users[role].email)
            visits = {visit.name: visit for visit in walk(world, role, keys=keys)}
            for visit in visits.values():
                open_page(page, live_server.url, visit)
                screenshot(page, lang=lang, size="phone", name=f"{role}-{visit.name}")
                declared = page.evaluate("document.documentElement.lang")
                if declared != lang:
                    found.append(f"{visit.path}: <html lang={declared!r}>, not {lang!r}")
                found += [f"{visit.path}: {problem}" for problem in axe_violations(page)]
                for text in english_left(page.evaluate(TEXTS_JS), lang=lang, data=data):
                    found.append(f"{visit.path}: English left: {text!r}")
        finally:
            page.goto("about:blank")
            context.close()
    assert not found, f"{len(found)} problems in {lang}:\n" + "\n".join(found)
