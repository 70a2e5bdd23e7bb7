"""Widgets shared by every app's forms and filters."""

from html import escape  # the standard one: Django's lazy-aware wrapper costs more per option

from django import forms
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime


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
        # One pass, the values and labels as text first (most are ids and names): the 2 600
        # options of a region's organizations.
        pairs = [
            (
                "" if v is None else v if type(v) is str else str(v),
                lb if type(lb) is str else str(lb),
            )
            for v, lb in _plain_choices(self.choices)
        ]
        options = "".join(
            [
                f'<option value="{escape(v)}"{" selected" if v in selected else ""}>'
                f"{escape(lb)}</option>"
                for v, lb in pairs
            ]
        )
        return mark_safe(f"<select{flatatt(attrs)}>{options}</select>")


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
        # A field whose label is made of a few columns says which (`label_fields`) and how
        # (`label_from_values`): hundreds of users are not built as model objects either.
        label_fields = getattr(field, "label_fields", None)
        if label_fields and hasattr(field, "label_from_values"):
            if field.empty_label is not None:
                yield "", field.empty_label
            for pk, *values in choices.queryset.values_list("pk", *label_fields):
                yield pk, field.label_from_values(*values)
            return
    yield from choices


# -- the form renderer: the commonest widget templates written directly ----------------------------
INPUT_NAMES = "input checkbox color date datetime email file hidden number password search tel"
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in [*INPUT_NAMES.split(), "text", "time", "url"]
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class FastRenderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER) that writes a <select> and an <input> of
    Django's own templates in Python: the same HTML, character for character, without a template
    include per option and per attribute. A list page's filter form (ten selects) took a third of
    the page's time through the templates. Anything else — a template of our own, an option
    template changed by a widget — goes through the templates as before."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name == SELECT_TEMPLATE and _plain_options(widget):
                return _select(widget)
        return super().render(template_name, context, request)


def template_text(value) -> str:
    """`{{ value }}` in a template: localized (numbers, dates) and escaped unless safe."""
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    return conditional_escape(value)


def _format_s(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it was safe."""
    return conditional_escape(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {template_text(name)}"
            if value is True
            else f' {template_text(name)}="{_format_s(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget.get("value")
    shown = f' value="{_format_s(value)}"' if value is not None else ""
    kind, name = template_text(widget["type"]), template_text(widget["name"])
    return mark_safe(f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>')


def _plain_options(widget: dict) -> bool:
    return all(
        option.get("template_name") == OPTION_TEMPLATE
        for _, options, _ in widget["optgroups"]
        for option in options
    )


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parts = [f'<select name="{template_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{template_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_format_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{template_text(option['label'])}</option>\n"  # the option template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
