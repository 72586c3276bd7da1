"""Taking a person's name and e-mail out of text (privacy.anonymise): every form, whole words only."""

from privacy.anonymise import Scrubber

ANNA = Scrubber(email="anna.lis@police.example", first_name="Anna", last_name="Lis", label="Erased person 7")


def test_every_written_form_of_the_name_and_the_email_becomes_the_label():
    text = "Anna Lis called; LIS, ANNA wrote back. Lis  Anna agreed. Ask anna.lis@police.example or Anna."
    assert ANNA.scrub(text) == (
        "Erased person 7 called; Erased person 7 wrote back. Erased person 7 agreed. "
        "Ask Erased person 7 or Erased person 7."
    )


def test_only_whole_words_are_replaced():
    assert ANNA.scrub("Annabel met Lisbon's police in Lis.") == "Annabel met Lisbon's police in Erased person 7."
    assert not ANNA.names("Annabel in Lisbon")
    assert ANNA.names("anna was there")


def test_empty_and_one_letter_names_take_nothing_else_out():
    nobody = Scrubber(email="", first_name="", last_name="", label="X")
    assert nobody.scrub("Anything at all") == "Anything at all"
    assert nobody.search_terms() == []
    initial = Scrubber(email="j@x.example", first_name="J", last_name="Doe", label="X")
    assert initial.scrub("Just J Doe, and a j here") == "Just X, and a j here"
    assert initial.search_terms() == ["j@x.example", "J Doe"]


def test_names_with_characters_outside_words_are_matched_as_written():
    person = Scrubber(email="", first_name="Ștefan", last_name="O'Neil-Popescu", label="X")
    assert person.scrub("ștefan o'neil-popescu and O'NEIL-POPESCU, Ștefan") == "X and X"
