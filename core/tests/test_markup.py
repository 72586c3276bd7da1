"""Guide text: Markdown in, a safe subset of HTML out."""

import pytest
from django.template import Context, Template

from core.markup import guide_text_render


def render(text: str) -> str:
    return guide_text_render(text=text)


def test_lists_paragraphs_emphasis_and_line_breaks():
    html = render("Before you start:\nread this.\n\n- **Police:** verify\n- *Border guards*\n\n1. one\n2. two")
    assert html.startswith("<p>Before you start:<br>\nread this.</p>")
    assert "<ul>\n<li><strong>Police:</strong> verify</li>\n<li><em>Border guards</em></li>\n</ul>" in html
    assert "<ol>\n<li>one</li>\n<li>two</li>\n</ol>" in html
    assert "- " not in html


def test_links_get_rel_nofollow_noopener():
    html = render("See [the protocol](https://example.org/protocol) or <https://example.org>.")
    assert '<a href="https://example.org/protocol" rel="nofollow noopener">the protocol</a>' in html
    assert '<a href="https://example.org" rel="nofollow noopener">https://example.org</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
    ],
)
def test_script_links_are_not_links(text):
    html = render(text)
    assert "<a" not in html
    assert 'href="javascript' not in html.lower()


def test_raw_html_script_and_event_attributes_are_removed():
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<b onclick="x()">bold</b> text')
    assert "<script" not in html
    assert "<img" not in html
    assert "<b" not in html
    # Raw HTML is shown as text, escaped, never as markup.
    assert "&lt;script&gt;" in html
    assert "text" in html


def test_headings_images_and_quotes_stay_text():
    html = render("# Title\n\n> quoted\n\n![alt](https://example.org/x.png)")
    assert "<h1" not in html
    assert "<blockquote" not in html
    assert "<img" not in html


def test_empty_text_renders_nothing():
    assert render("") == ""
    assert render("   \n ") == ""


def test_template_filter_marks_the_result_safe():
    template = Template("{% load concord_text %}{{ text|guide_text }}")
    html = template.render(Context({"text": "- a <em>x</em>\n- b"}))
    assert html == "<ul>\n<li>a &lt;em&gt;x&lt;/em&gt;</li>\n<li>b</li>\n</ul>"
    assert Template("{% load concord_text %}{{ text|guide_text }}").render(Context({"text": None})) == ""


def test_email_breaks_only_after_the_at_and_before_dots():
    template = Template("{% load concord_text %}{{ email|email_breaks }}")
    html = template.render(Context({"email": "anna.nowak@policja.gov.pl"}))
    assert html == "anna.nowak@<wbr>policja<wbr>.gov<wbr>.pl"
    escaped = template.render(Context({"email": "<b>x@y.org"}))
    assert escaped == "&lt;b&gt;x@<wbr>y<wbr>.org"
