"""GOV.UK date inputs on every form: day, month and year boxes, GOV.UK's messages, nothing typed lost."""

from datetime import date

import pytest
from django import forms

from govtrack.forms import GovukForm


class DueForm(GovukForm):
    due_on = forms.DateField(label="Due date")
    review_on = forms.DateField(label="Review date", required=False)


def test_a_date_field_renders_as_three_labelled_boxes_in_a_fieldset():
    html = str(DueForm())
    for part in ("day", "month", "year"):
        assert f'name="due_on_{part}"' in html and f'id="id_due_on_{part}"' in html
    assert 'type="date"' not in html
    assert '<legend class="govuk-fieldset__legend' in html and 'inputmode="numeric"' in html
    assert 'role="group" aria-describedby="id_due_on-hint"' in html


def test_the_three_parts_make_a_date_and_an_iso_value_still_works():
    form = DueForm({"due_on_day": "31", "due_on_month": "1", "due_on_year": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_on": date(2027, 1, 31), "review_on": None}
    assert DueForm({"due_on": "2027-01-31"}).is_valid()


@pytest.mark.parametrize("day,month,year,message", [
    ("31", "", "2027", "Due date must include a month"),
    ("", "", "2027", "Due date must include a day and a month"),
    ("31", "2", "2027", "Due date must be a real date"),
    ("3l", "2", "2027", "Due date must be a real date"),
    ("1", "2", "27", "The year must include 4 numbers"),
])
def test_a_missing_or_impossible_part_says_what_is_wrong_and_keeps_what_was_typed(day, month, year, message):
    form = DueForm({"due_on_day": day, "due_on_month": month, "due_on_year": year})
    assert not form.is_valid()
    assert form.errors["due_on"] == [message]
    html = str(form)
    assert f'name="due_on_day" value="{day}"' in html or not day
    assert f'name="due_on_year" value="{year}"' in html
    assert "govuk-input--error" in html and 'aria-invalid="true"' in html


def test_an_empty_required_date_is_required_and_an_empty_optional_one_is_none():
    form = DueForm({"due_on_day": "", "due_on_month": "", "due_on_year": ""})
    assert not form.is_valid() and "due_on" in form.errors and "review_on" not in form.errors


def test_a_saved_date_is_shown_back_in_its_three_boxes():
    html = str(DueForm(initial={"due_on": date(2027, 3, 9)}))
    assert 'name="due_on_day" value="9"' in html and 'name="due_on_month" value="3"' in html
    assert 'name="due_on_year" value="2027"' in html


class ForecastForm(GovukForm):
    forecast = forms.ChoiceField(label="Will it finish on time?", choices=[("on", "On track"), ("late", "Late")],
                                 widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(label="Kinds", choices=[("a", "A"), ("b", "B")], required=False,
                                      widget=forms.CheckboxSelectMultiple)


def test_choices_render_as_visible_gov_uk_radios_and_checkboxes_in_a_fieldset():
    html = str(ForecastForm({"forecast": "late", "kinds": ["b"]}))
    assert '<div class="govuk-radios govuk-radios--small" data-module="govuk-radios" id="id_forecast">' in html
    assert 'class="govuk-radios__input" id="id_forecast_1" name="forecast" type="radio" value="late" checked' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_forecast_0">On track</label>' in html
    assert 'type="checkbox" value="b" checked' in html
    assert html.count('<legend class="govuk-fieldset__legend') == 2
    # the group itself is not styled as an input (which GOV.UK's CSS hides)
    assert 'id="id_forecast" class="govuk-radios__input"' not in html
