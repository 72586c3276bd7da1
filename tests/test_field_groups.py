"""Groups of checkboxes and radio buttons are fieldsets named by a legend (WCAG 1.3.1, issue #12)."""

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    teams = forms.MultipleChoiceField(
        label="To teams",
        choices=[("1", "Police"), ("2", "Border guard")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone in the team reads it.",
    )
    strategy = forms.ChoiceField(
        label="Strategy", choices=[("a", "Mixed"), ("b", "Realistic")], widget=forms.RadioSelect
    )
    subject = forms.CharField(label="Subject")


def _render(form: forms.Form, name: str) -> str:
    return render_to_string("includes/_field.html", {"field": form[name]})


def test_checkboxes_are_a_fieldset_with_a_legend_and_a_description():
    html = _render(_Form(), "teams")
    fieldset = re.search(r"<fieldset[^>]*>(.*)</fieldset>", html, re.S)
    assert fieldset is not None, html
    assert 'aria-describedby="id_teams_helptext"' in fieldset.group(0)
    assert re.search(r"<legend>To teams</legend>", fieldset.group(1))
    assert fieldset.group(1).count('type="checkbox"') == 2
    assert '<label for="id_teams">' not in html  # the group's name is the legend, not a label for nothing


def test_errors_describe_the_group_and_radio_buttons_are_grouped_too():
    form = _Form(data={"subject": "x"})
    assert not form.is_valid()
    html = _render(form, "strategy")
    assert re.search(r'<fieldset[^>]*aria-describedby="id_strategy_error"', html), html
    assert re.search(r'<ul class="field-errors" id="id_strategy_error">', html)
    assert html.count('type="radio"') == 2
    assert "<legend>Strategy</legend>" in html


def test_a_single_input_keeps_its_label():
    html = _render(_Form(), "subject")
    assert "<fieldset" not in html
    assert '<label for="id_subject">Subject</label>' in html


def test_a_groups_legend_has_no_colon():
    from django import forms
    from django.template.loader import render_to_string

    class Choice(forms.Form):
        kinds = forms.MultipleChoiceField(
            label="Kinds", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    html = render_to_string("includes/_field.html", {"field": Choice()["kinds"]})
    assert "<legend>Kinds</legend>" in html
