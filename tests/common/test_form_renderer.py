"""The form renderer writes selects and inputs exactly as Django's templates do."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from nms.common.widgets import FastRenderer

CHOICES = [
    ("", "все"),
    ("a", 'МБОУ «Школа № 1» & "Гимназия" <b>'),
    (2, "Детский сад 'Ромашка'"),
    ("Группа <1>", [("x", "икс"), ("y", mark_safe("<i>игрек</i>"))]),
    (datetime.date(2026, 12, 2), datetime.date(2026, 12, 2)),
    (Decimal("1.5"), Decimal("1.5")),
]


class Sample(forms.Form):
    text = forms.CharField(required=False, max_length=20, help_text="подсказка")
    number = forms.IntegerField(required=False, min_value=1)
    day = forms.DateField(required=False)
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    email = forms.EmailField(required=False)
    choice = forms.ChoiceField(required=False, choices=CHOICES)
    many = forms.MultipleChoiceField(required=False, choices=CHOICES[1:3])
    disabled = forms.ChoiceField(required=False, choices=CHOICES[:3], disabled=True)
    search = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "data-x": '"<&>"', "autofocus": True}),
    )
    yes_no = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(required=False, choices=CHOICES[1:3], widget=forms.RadioSelect)


DATA = [
    {},
    {
        "text": 'a "b" <c> & ё',
        "number": "5",
        "day": "02.12.2026",
        "agree": "on",
        "hidden": "<h>",
        "email": "x@example.org",
        "choice": "y",
        "many": ["a", "2"],
        "search": "школа",
        "yes_no": "true",
        "radio": "a",
    },
    {"number": "abc", "choice": "nope", "day": "32.13.2026", "text": "x" * 30},
]


@pytest.mark.parametrize("data", DATA)
def test_the_same_html_as_the_templates(data):
    bound = Sample(data or None)
    bound.is_valid() if data else None
    fast_form = Sample(data or None, renderer=FastRenderer())
    fast_form.is_valid() if data else None
    plain_form = Sample(data or None, renderer=DjangoTemplates())
    plain_form.is_valid() if data else None
    for name in Sample.base_fields:
        assert str(fast_form[name]) == str(plain_form[name]), name
    assert str(fast_form) == str(plain_form)


def test_a_select_with_many_options_is_written_directly(monkeypatch):
    calls = []
    original = DjangoTemplates.render

    def counted(self, template_name, context, request=None):
        calls.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", counted)
    field = forms.ChoiceField(choices=[(str(n), f"№ {n}") for n in range(500)])
    html = field.widget.render("n", "7", renderer=FastRenderer())
    assert calls == []
    assert html.count("<option") == 500
    assert '<option value="7" selected>№ 7</option>' in html


def test_a_template_of_our_own_still_goes_through_the_templates(monkeypatch):
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html"
        template_name = "django/forms/widgets/radio.html"

    field = forms.ChoiceField(choices=[("a", "А")], widget=Own)
    fast = field.widget.render("n", "a", renderer=FastRenderer())
    assert fast == field.widget.render("n", "a", renderer=DjangoTemplates())
