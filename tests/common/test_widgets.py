"""FastSelect writes what Django's Select writes, reading a long model select as pairs."""

import re

import pytest
from django import forms

from nms.common.widgets import FastSelect
from nms.registry.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _field(widget, **kwargs):
    return forms.ModelChoiceField(
        Organization.objects.order_by("short_name"), widget=widget, **kwargs
    )


@pytest.mark.parametrize("empty_label", ["все", None])
@pytest.mark.parametrize("value", [None, "first"])
def test_the_same_html_as_the_plain_select(empty_label, value, count_queries):
    first = OrganizationFactory(short_name='МБОУ «Школа № 1» & "Гимназия" <b>')
    OrganizationFactory(short_name="Детский сад 'Ромашка'")
    chosen = first.pk if value else None
    plain = _field(forms.Select, empty_label=empty_label).widget.render("organization", chosen)
    fast_field = _field(FastSelect, empty_label=empty_label)
    queries, fast = count_queries(fast_field.widget.render, "organization", chosen)
    assert fast == re.sub(r">\s+<", "><", plain)
    assert "&lt;b&gt;" in fast and "&amp;" in fast
    assert queries == 1


def test_a_custom_label_is_kept():
    OrganizationFactory(short_name="Школа")

    class Labelled(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.short_name} (подпись)"

    field = Labelled(Organization.objects.all(), widget=FastSelect)
    assert "Школа (подпись)" in field.widget.render("organization", None)
