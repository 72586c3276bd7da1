"""What the designer asked for, as the HTML shows it: the header menu, the agenda's actions, the roster cards."""

import re

import pytest
from django.urls import reverse

from tests.world import World, build_world
from trainings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_the_header_has_a_menu_button_and_the_signed_in_address_inside_the_menu(client, world):
    user = world.users["facilitator"]
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    button = re.search(r'<button type="button" class="menu-toggle"[^>]*>', html)
    assert button is not None
    assert 'aria-expanded="false"' in button.group(0)
    assert 'aria-controls="site-menu"' in button.group(0)
    menu = html[html.index('<div class="site-menu" id="site-menu">') : html.index("</header>")]
    assert user.email in menu
    assert 'aria-label="Main"' in menu
    assert 'aria-label="Account"' in menu
    assert "js/menu.js" in html


def test_nobody_signed_in_gets_no_menu_button(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "menu-toggle" not in html
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html


def test_the_agenda_puts_a_sessions_actions_in_one_menu(client, world):
    SessionFactory(cohort=world.cohort, title="Field visit")
    client.force_login(world.users["coordinator"])
    html = client.get(reverse("portal:cohort_agenda", kwargs={"slug": world.cohort.slug})).content.decode()
    assert 'class="agenda-days"' in html
    visit = html[html.index("Field visit</h3>") :]
    visit = visit[: visit.index("</article>")]
    assert visit.count('<details class="actions-menu">') == 1
    assert "Cancel session…" in visit
    assert ">Cancel<" not in visit
    # The session holding a run: its run's links are in its menu too, not as buttons beside it.
    simulation = html[html.index(f'id="session-{world.session.pk}"') :]
    simulation = simulation[: simulation.index("</article>")]
    menu = simulation[simulation.index('<details class="actions-menu">') :]
    assert reverse("exercises:run_plan", kwargs={"pk": world.run.pk}) in menu
    assert 'class="button" href' not in simulation


def test_the_roster_is_one_card_per_person_on_a_phone(client, world):
    client.force_login(world.users["facilitator"])
    html = client.get(reverse("participants:cohort_roster", kwargs={"slug": world.cohort.slug})).content.decode()
    assert '<table class="table--cards">' in html
    local, _domain = world.users["participant"].email.split("@")
    assert f'<td class="email" data-label="Email">{local}@<wbr>' in html
    assert 'data-label="Status"' in html
