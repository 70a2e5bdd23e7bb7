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


def test_a_label_of_several_columns_is_read_as_values(count_queries):
    """`label_fields` + `label_from_values`: the same labels as `label_from_instance`, from one
    query of values (the routes' methodist filter: hundreds of users)."""
    from nms.accounts.models import Role, User
    from nms.routes.filters import MethodistField
    from tests.factories import UserFactory

    UserFactory(username="m1", first_name="Анна", last_name="Ёлкина", role=Role.ADMIN)
    UserFactory(username="m2", first_name="", last_name="", role=Role.ADMIN)
    field = MethodistField(User.objects.order_by("username"), widget=FastSelect, empty_label="все")
    queries, fast = count_queries(field.widget.render, "methodist", None)
    assert queries == 1
    plain = MethodistField(User.objects.order_by("username"), empty_label="все")
    assert fast == re.sub(r">\s+<", "><", plain.widget.render("methodist", None))
    assert "Анна Ёлкина" in fast and ">m2<" in fast
