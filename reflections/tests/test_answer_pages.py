"""The answer page, the dashboard's list, and the facilitators' pages: progress, reminders, paper, blank PDF."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CoordinatorFactory
from reflections.models import Completion, Draft, Response
from reflections.tests.answer_world import answer_world
from reflections.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def _url(world, name="reflections:answer") -> str:
    return reverse(name, kwargs={"pk": world.administration.pk})


def _form(world) -> dict:
    return {
        f"q_{world.text.pk}": "Call the NGO first.",
        f"q_{world.scale.pk}": "4",
        f"q_{world.single.pk}": "police",
        f"q_{world.multiple.pk}": ["ngo", "labour"],
        f"q_{world.yes_no.pk}": "yes",
        "language": "en",
    }


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_lists_open_questionnaires_still_to_answer_with_their_closing_time(
    client, django_assert_max_num_queries
):
    world = answer_world()
    now = timezone.now()
    later = AdministrationFactory(
        questionnaire=world.questionnaire,
        cohort=world.administration.cohort,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=2),
    )
    elsewhere = AdministrationFactory()
    client.force_login(world.member.user)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dashboard"))
    pending = response.context["dashboard"].pending_questionnaires
    assert pending == [world.administration]
    assert later not in pending
    assert elsewhere not in pending
    page = response.content.decode()
    assert "Questionnaires to answer" in page
    assert _url(world) in page
    assert "closes" in page

    Completion.objects.create(administration=world.administration, participant=world.member, completed_at=now)
    assert client.get(reverse("dashboard")).context["dashboard"].pending_questionnaires == []


def test_the_dashboard_keeps_its_query_count_with_more_questionnaires(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = answer_world()
    client.force_login(world.member.user)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    for _ in range(5):
        AdministrationFactory(questionnaire=world.questionnaire, cohort=world.administration.cohort)
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("dashboard"))
    assert len(response.context["dashboard"].pending_questionnaires) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


# --- the answer page ----------------------------------------------------------------------------


def test_the_page_says_it_is_anonymous_before_any_question(client):
    world = answer_world(anonymous=True)
    client.force_login(world.member.user)
    page = client.get(_url(world)).content.decode()
    assert page.index("This questionnaire is anonymous.") < page.index("What would you do differently?")
    assert 'name="viewport"' in page
    assert "htmx-2.min.js" in page
    assert "<script>" not in page


def test_the_page_says_when_it_is_named(client):
    world = answer_world(anonymous=False)
    client.force_login(world.member.user)
    page = client.get(_url(world)).content.decode()
    assert "This questionnaire is named, not anonymous." in page


def test_the_questions_come_in_the_preferred_language_with_the_original_where_untranslated(client):
    world = answer_world()
    world.member.user.language = "pl"
    world.member.user.save()
    client.force_login(world.member.user)
    page = client.get(_url(world)).content.decode()
    assert "Co zrobiłbyś inaczej?" in page
    assert "How confident are you in referring a victim?" in page  # no Polish text: the original
    assert "Policja" in page
    assert "Labour inspectorate" in page
    # The language switch.
    page = client.get(_url(world) + "?lang=en").content.decode()
    assert "What would you do differently?" in page
    assert "Co zrobiłbyś inaczej?" not in page


def test_save_draft_then_come_back_to_it(client):
    world = answer_world()
    client.force_login(world.member.user)
    response = client.post(_url(world), {f"q_{world.text.pk}": "Half a thought", "language": "pl", "draft": "1"})
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.answers == {str(world.text.pk): "Half a thought"}
    assert draft.language == "pl"
    page = client.get(_url(world)).content.decode()
    assert "Half a thought" in page
    assert "Draft saved on" in page
    assert "Co zrobiłbyś inaczej?" in page  # the draft's language


def test_the_htmx_autosave_keeps_the_draft_and_says_so(client):
    world = answer_world()
    client.force_login(world.member.user)
    response = client.post(
        _url(world, "reflections:answer_draft"), {f"q_{world.scale.pk}": "2"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    assert Draft.objects.get().answers == {str(world.scale.pk): 2}
    response = client.post(_url(world, "reflections:answer_draft"), {f"q_{world.scale.pk}": "9"})
    assert "Not saved" in response.content.decode()
    assert Draft.objects.get().answers == {str(world.scale.pk): 2}


def test_submitting_stores_the_answers_and_shows_only_the_day_for_an_anonymous_questionnaire(client):
    world = answer_world(anonymous=True)
    client.force_login(world.member.user)
    client.post(_url(world), {f"q_{world.text.pk}": "draft first", "draft": "1"})
    response = client.post(_url(world), {**_form(world), "submit": "1"}, follow=True)
    page = response.content.decode()
    assert "Thank you: your answers are submitted." in page
    assert "You submitted your answers on" in page
    assert "Call the NGO first." not in page  # nobody knows which answers are theirs
    assert '<form method="post" class="stack answer-form"' not in page
    assert Response.objects.get().answers.count() == 5
    assert not Draft.objects.exists()


def test_a_named_questionnaire_shows_the_persons_own_answers_read_only_after_submitting(client):
    world = answer_world(anonymous=False)
    client.force_login(world.member.user)
    client.post(_url(world), {**_form(world), "submit": "1"})
    page = client.get(_url(world)).content.decode()
    assert "Call the NGO first." in page
    assert "readonly" in page
    assert "disabled" in page


def test_missing_required_answers_show_a_message_at_each_question_and_keep_what_was_typed(client):
    world = answer_world()
    client.force_login(world.member.user)
    response = client.post(_url(world), {f"q_{world.single.pk}": "ngo", f"q_{world.yes_no.pk}": "no", "submit": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("This question needs an answer.") == 2
    assert f'id="q_{world.text.pk}_error"' in page
    assert f'id="q_{world.scale.pk}_error"' in page
    assert 'value="ngo" checked' in page
    assert not Response.objects.exists()


def test_answering_twice_on_the_page_is_refused(client):
    world = answer_world()
    client.force_login(world.member.user)
    client.post(_url(world), {**_form(world), "submit": "1"})
    response = client.post(_url(world), {**_form(world), "submit": "1"})
    assert response.status_code == 400
    assert "already answered" in response.content.decode()
    assert Response.objects.count() == 1


def test_after_closing_the_page_is_read_only_and_refuses_answers(client):
    world = answer_world()
    client.force_login(world.member.user)
    world.administration.opens_at = timezone.now() - dt.timedelta(days=3)
    world.administration.closes_at = timezone.now() - dt.timedelta(minutes=1)
    world.administration.save()
    page = client.get(_url(world)).content.decode()
    assert "This questionnaire has closed." in page
    assert "Submit my answers" not in page
    response = client.post(_url(world), {**_form(world), "submit": "1"})
    assert response.status_code == 400
    assert "has closed" in response.content.decode()
    assert not Response.objects.exists()


def test_before_opening_the_page_says_when_it_opens(client):
    now = timezone.now()
    world = answer_world(opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2))
    client.force_login(world.member.user)
    page = client.get(_url(world)).content.decode()
    assert "not open yet" in page
    assert "Submit my answers" not in page


def test_who_may_open_the_answer_page(client):
    world, other = answer_world(), answer_world()
    client.force_login(other.member.user)
    assert client.get(_url(world)).status_code == 404  # another cohort's
    assert client.post(_url(world), {**_form(world), "submit": "1"}).status_code == 404
    client.force_login(world.facilitator)
    assert client.get(_url(world)).status_code == 403  # staff see it but do not answer
    client.force_login(CoordinatorFactory())
    assert client.get(_url(world)).status_code == 403
    client.logout()
    assert client.get(_url(world)).status_code == 302
    assert not Response.objects.exists()


def test_a_superuser_without_a_participant_profile_is_refused_not_failed(client, django_user_model):
    """A superuser passes every rule, but has nobody to answer as: 403 on the page and its autosave."""
    world = answer_world()
    client.force_login(django_user_model.objects.create_superuser(email="root@example.org", password="x" * 16))
    assert client.get(_url(world)).status_code == 403
    assert client.post(_url(world), {**_form(world), "submit": "1"}).status_code == 403
    assert (
        client.post(reverse("reflections:answer_draft", args=[world.administration.pk]), _form(world)).status_code
        == 403
    )
    assert client.get(reverse("reflections:answer", args=[world.administration.pk + 999])).status_code == 404
    assert not Response.objects.exists()


# --- the facilitators' pages --------------------------------------------------------------------


def test_the_progress_page_shows_the_rate_and_refreshes_it(client, django_assert_max_num_queries):
    world = answer_world(members=4)
    Completion.objects.create(
        administration=world.administration, participant=world.member, completed_at=timezone.now()
    )
    client.force_login(world.facilitator)
    page = client.get(_url(world, "reflections:administration_progress")).content.decode()
    assert "1 of 4 have answered (25%)." in page
    assert 'hx-trigger="every 5s"' in page
    with django_assert_max_num_queries(12):
        fragment = client.get(_url(world, "reflections:administration_progress_rate"))
    assert "1 of 4 have answered" in fragment.content.decode()
    for person in world.members[1:]:
        assert person.user.email not in page  # counts only, never who


def test_send_a_reminder_now_from_the_progress_page(client, django_capture_on_commit_callbacks):
    world = answer_world(members=2)
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world, "reflections:administration_remind"), follow=True)
    assert "Reminder sent to 2 people" in response.content.decode()
    assert len(mail.outbox) == 2
    client.force_login(world.member.user)
    assert client.post(_url(world, "reflections:administration_remind")).status_code == 403
    assert len(mail.outbox) == 2


def test_paper_entry_of_an_anonymous_sheet(client):
    world = answer_world(anonymous=True)
    client.force_login(world.facilitator)
    page = client.get(_url(world, "reflections:paper_entry")).content.decode()
    assert "Whose sheet is it?" not in page
    form = {key: value for key, value in _form(world).items() if key != f"q_{world.text.pk}"}
    response = client.post(_url(world, "reflections:paper_entry"), form, follow=True)
    assert "The paper answers are saved." in response.content.decode()
    response_row = Response.objects.get()
    assert response_row.source == Response.Source.PAPER
    assert not Completion.objects.exists()
    bad = client.post(_url(world, "reflections:paper_entry"), {f"q_{world.scale.pk}": "8"})
    assert bad.status_code == 400
    assert "Choose a point from 1 to 5." in bad.content.decode()
    assert Response.objects.count() == 1


def test_paper_entry_of_a_named_sheet_chooses_the_person_from_the_roster(client):
    world = answer_world(anonymous=False)
    client.force_login(world.facilitator)
    page = client.get(_url(world, "reflections:paper_entry")).content.decode()
    assert "Whose sheet is it?" in page
    client.post(_url(world, "reflections:paper_entry"), {**_form(world), "participant": world.member.pk})
    assert Completion.objects.get().participant == world.member
    # Answered now: not offered again.
    offered = client.get(_url(world, "reflections:paper_entry")).context["person_form"].fields["participant"]
    assert set(offered.queryset) == set(world.members[1:])


def test_paper_entry_is_for_staff_only(client):
    world = answer_world()
    client.force_login(world.member.user)
    assert client.get(_url(world, "reflections:paper_entry")).status_code == 403
    assert client.post(_url(world, "reflections:paper_entry"), _form(world)).status_code == 403
    assert not Response.objects.exists()


def test_the_blank_pdf_prints_the_questions_in_the_chosen_language(client, monkeypatch):
    """pypdf is not installed here: the strings drawn are recorded, and the PDF checked for the embedded font."""
    from reportlab.pdfgen.canvas import Canvas

    drawn: list[str] = []
    draw = Canvas.drawString
    monkeypatch.setattr(
        Canvas, "drawString", lambda self, x, y, text, *a, **k: drawn.append(text) or draw(self, x, y, text, *a, **k)
    )
    world = answer_world()
    world.text.translations = {
        "ro": {"text": "Ce ați face altfel? Știți că țara"},
        "bg": {"text": "Какво бихте направили?"},
    }
    world.text.save()
    client.force_login(world.facilitator)
    for language, expected in (("en", "What would you do differently?"), ("ro", "Știți că țara"), ("bg", "Какво")):
        drawn.clear()
        response = client.get(_url(world, "reflections:administration_blank_pdf") + f"?lang={language}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF")
        assert b"DejaVuSans" in body
        assert len(body) > 5000
        assert any(expected in text for text in drawn)
        assert any("Police" in text for text in drawn)  # a choice, with its box
    client.force_login(world.member.user)
    assert client.get(_url(world, "reflections:administration_blank_pdf")).status_code == 403


def test_pdf_renderer_output_is_stable_for_the_same_input():
    from reflections import pdf

    labels = pdf.BlankLabels(required="required", yes="Yes", no="No", anonymity="Anonymous", page="Page")
    questions = [pdf.BlankQuestion(kind="scale", text="Zażółć gęślą jaźń", points=7, low_label="a", high_label="b")]
    first = pdf.blank_questionnaire_pdf(title="T", introduction="", subtitle="", questions=questions, labels=labels)
    again = pdf.blank_questionnaire_pdf(title="T", introduction="", subtitle="", questions=questions, labels=labels)
    assert first == again
    assert first.startswith(b"%PDF")
    assert io.BytesIO(first).getbuffer().nbytes > 1000
