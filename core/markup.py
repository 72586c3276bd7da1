"""Guide text: the Markdown that exercise authors write, rendered to a small, safe subset of HTML.

Pure functions, no ORM. markdown-it-py renders paragraphs, lists, emphasis, code, links and line
breaks (raw HTML is escaped, headings, quotes and images stay text); nh3 then keeps only the tags and
attributes below, so a bug in either one alone cannot let a script or an event attribute through.
"""

from typing import Final

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS: Final = frozenset({"p", "br", "ul", "ol", "li", "em", "strong", "code", "a"})
ALLOWED_ATTRIBUTES: Final = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
LINK_REL: Final = "nofollow noopener"

# "zero" enables nothing; the rules named here are the whole subset. breaks: a single line break in the
# text stays a line break on the page, as the |linebreaks filter did before.
_MARKDOWN = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
    ["list", "emphasis", "link", "autolink", "newline", "escape", "entity", "backticks"]
)


def guide_text_render(*, text: str) -> str:
    """``text`` (Markdown) as sanitised HTML; an empty string for empty text."""
    if not text or not text.strip():
        return ""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
