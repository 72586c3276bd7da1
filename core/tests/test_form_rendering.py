"""Forms as people see them: labels without Django's colon, small number boxes sized to their digits."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from core.forms import SmallNumberInput

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    minutes = forms.IntegerField(label="Minutes", widget=SmallNumberInput())
    agree = forms.BooleanField(label="Agree", required=False)


def _labels(html: str) -> list[str]:
    return re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)


def test_the_field_include_drops_the_label_colon():
    html = "".join(render_to_string("includes/_field.html", {"field": field}) for field in _Form())
    assert _labels(html) == ["Name", "Minutes", "Agree"]


def test_a_small_number_asks_for_digits_and_gets_its_size_class():
    html = str(_Form()["minutes"])
    assert 'inputmode="numeric"' in html
    assert 'class="input--number"' in html
    assert 'type="number"' in html


def test_our_pages_and_allauths_have_no_label_colons(client, coordinator):
    login = client.get(reverse("account_login")).content.decode()
    assert _labels(login)
    assert not [label for label in _labels(login) if label.strip().endswith(":")]
    client.force_login(coordinator)
    page = client.get(reverse("trainings:objective_create")).content.decode()
    assert "Order" in _labels(page)
    assert not [label for label in _labels(page) if label.strip().endswith(":")]
    assert 'inputmode="numeric"' in page
