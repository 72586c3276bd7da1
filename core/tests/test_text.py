import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.text import control_characters, excerpt, normalise_email, normalise_name, strip_control_characters

# --- normalise_email ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  ana@example.org\n", "ana@example.org"),
        ("Ana.Pop@EXAMPLE.ORG", "Ana.Pop@example.org"),  # the domain only, as Django's normalize_email
        ("ａｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ", "ana@example.org"),  # full-width look-alikes become ASCII
        ("ana@ＥＸＡＭＰＬＥ.org", "ana@example.org"),
        ("\u212aasia@example.org", "Kasia@example.org"),  # KELVIN SIGN
        ("ana@Bücher.de", "ana@bücher.de"),  # an internationalised domain stays as typed, in lower case
        ("\u3000ana@example.org\u3000", "ana@example.org"),  # ideographic spaces around it
    ],
)
def test_email_spellings_that_look_the_same_are_stored_the_same(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "ana@exam\u200bple.org",  # ZERO WIDTH SPACE (the review's case)
        "ana@exam\u00adple.org",  # SOFT HYPHEN (the review's case)
        "\u200bana@example.org",
        "ana@example.org\u200b",
        "an\u200da@example.org",  # ZERO WIDTH JOINER
        "an\u2060a@example.org",  # WORD JOINER
        "\ufeffana@example.org",  # BYTE ORDER MARK
        "ana@\u202eexample.org",  # RIGHT-TO-LEFT OVERRIDE
        "ana\u200e@example.org",  # LEFT-TO-RIGHT MARK
        "ana@\u2066example\u2069.org",  # bidi isolates
        "an\x07a@example.org",
        "an\x1ba@example.org",
        "an\x7fa@example.org",
        "an\x85a@example.org",
        "ana@exam\tple.org",
    ],
)
def test_invisible_and_control_characters_are_refused(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_email(typed)
    assert excinfo.value.code == "hidden_characters"
    assert "invisible or control characters (U+" in excinfo.value.messages[0]


def test_the_refusal_names_the_character():
    with pytest.raises(ValidationError) as excinfo:
        normalise_email("ana@exam\u200bple.org")
    assert "U+200B ZERO WIDTH SPACE" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "ana",
        "ana@",
        "@example.org",
        "ana@exam ple.org",
        "ana@@example.org",
        "ana@example",
        "\u0131ana@example.org",  # dotless ı: Django's validator alone would let it through
        "\u0130ana@example.org",  # İ
        "żaneta@example.org",
        "ana@exa_mple.org",
        "a" * 320 + "@example.org",
    ],
)
def test_addresses_django_or_the_ascii_local_part_rule_refuse_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_email(typed)


@given(st.text(max_size=40))
def test_a_normalised_address_is_stable_and_has_no_hidden_characters(typed):
    try:
        stored = normalise_email(typed)
    except ValidationError:
        return
    assert normalise_email(stored) == stored
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in stored)
    assert stored == stored.strip()


@given(st.emails())
def test_valid_ascii_addresses_are_kept_but_for_the_domain_case(address):
    local, _at, domain = address.rpartition("@")
    try:
        stored = normalise_email(address)
    except ValidationError:
        return  # hypothesis' grammar is wider than Django's validator
    assert stored == f"{local}@{domain.lower()}"


# --- normalise_name ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ana", "Ana"),
        ("  Ana   Maria  ", "Ana Maria"),
        ("Ana\tMaria\nPop\r\n", "Ana Maria Pop"),
        ("Ana\u00a0Maria", "Ana Maria"),  # no-break space
        ("Ａｎａ", "Ana"),
        ("ﬁona", "fiona"),
        ("Zoe\u0308", "Zoë"),  # combining diaeresis composed
        ("Łucja Ștefan Боян", "Łucja Ștefan Боян"),
        ("", ""),
    ],
)
def test_names_are_normalised(typed, stored):
    assert normalise_name(typed) == stored


@pytest.mark.parametrize(
    "typed", ["An\x07a", "An\x1b[31ma", "Ana\u200b", "Ana\u00ad", "\u202eanA", "Ana\x85Maria", "Ana\x0bMaria", "A\x7f"]
)
def test_names_with_invisible_or_control_characters_are_refused(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_name(typed)
    assert excinfo.value.code == "hidden_characters"


@given(st.text(max_size=40))
def test_a_normalised_name_is_stable(typed):
    try:
        stored = normalise_name(typed)
    except ValidationError:
        return
    assert normalise_name(stored) == stored
    assert "  " not in stored
    assert stored == stored.strip()


# --- control characters and excerpts -----------------------------------------------------------


def test_control_characters_are_c0_del_and_c1():
    text = "a\x00b\x07c\x1b\x7f\x80\x9f\x85\x07"
    assert control_characters(text) == ["\x00", "\x07", "\x1b", "\x7f", "\x80", "\x9f", "\x85"]
    assert control_characters("tab\tline\nfeed\r") == ["\t", "\n", "\r"]
    assert control_characters("tab\tline\nfeed\r", multiline=True) == []
    assert control_characters("Zażółć \u200b\u00a0\u00ad") == []  # format characters are not controls
    assert all(not control_characters(chr(c)) for c in range(0xA0, 0x3000))


def test_strip_control_characters_keeps_line_breaks_by_default():
    assert strip_control_characters("An\x07a\n\tB\x1b[0m\x9b\x7f") == "Ana\n\tB[0m"
    assert strip_control_characters("a\nb\tc", multiline=False) == "abc"


def test_excerpt_cuts_long_values_and_shows_hidden_characters():
    assert excerpt("short") == "short"
    long = "x" * 10_000
    assert excerpt(long) == "x" * 79 + "…"
    assert len(excerpt(long)) == 80
    assert excerpt("x" * 80) == "x" * 80
    assert excerpt("a\nb\x07c\u200bd") == "a b\ufffdc\ufffdd"
    assert excerpt("abcdef", 4) == "abc…"
