"""Widgets shared by every app's forms and filters."""

from html import escape  # the standard one: Django's lazy-aware wrapper costs more per option

from django import forms
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A single <select> written in one pass over its choices.

    Django's Select renders each option through a template: the 2 600 organizations of a region
    took 0.4 s on every page showing the filter. This writes the same HTML (without option groups,
    which the filters do not use) directly; the choices are iterated once, as by the plain widget.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in _plain_choices(self.choices):
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            options.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')
        return mark_safe(f"<select{flatatt(attrs)}>{''.join(options)}</select>")


def _plain_choices(choices):
    """The choices as (value, label) pairs. A model whose `__str__` is one column says so in
    `LABEL_FIELD`: its rows are read as pairs, not built as thousands of model objects."""
    if isinstance(choices, ModelChoiceIterator):
        field = choices.field
        label_field = getattr(choices.queryset.model, "LABEL_FIELD", None)
        default_label = type(field).label_from_instance is ModelChoiceField.label_from_instance
        if label_field and default_label:
            if field.empty_label is not None:
                yield "", field.empty_label
            yield from choices.queryset.values_list("pk", label_field)
            return
    yield from choices
