"""`{% load monitoring %}`: `value|val` — an indicator's value as shown (45,5; «—» for none);
`value|val:unit` adds « %» for shares and shows yes/no as да/нет."""

from django import template

from nms.monitoring.dashboards import fmt

register = template.Library()


@register.filter
def val(value, unit: str = "") -> str:
    return fmt(value, unit or "")
