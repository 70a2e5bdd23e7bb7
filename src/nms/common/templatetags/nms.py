from decimal import Decimal

from django import template

from nms.accounts.scope import scope_of
from nms.common import aggregates, links, text

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    params.pop(aggregates.REFRESH_PARAM, None)  # a recomputation is asked for once, not carried on
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def yesno_ru(value) -> str:
    return "да" if value else "нет"


def _forms(arg: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in arg.split(",")]
    if len(parts) != 3:
        raise template.TemplateSyntaxError(
            'plural needs three forms: "работник,работника,работников"'
        )
    return parts[0], parts[1], parts[2]


@register.filter
def plural(value, forms: str) -> str:
    """``{{ n|plural:"работник,работника,работников" }}`` → the word form only."""
    try:
        n = Decimal(str(value))
    except (TypeError, ValueError, ArithmeticError):
        return ""
    return text.plural(n, *_forms(forms))


@register.filter
def count_with(value, forms: str) -> str:
    """``{{ n|count_with:"работник,работника,работников" }}`` → «21 работник» (a non-breaking
    space between; digits grouped: «11 500 работников»)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    return text.count_with(n, *_forms(forms))


# -- links only where the page would answer (nms.common.links) ----------------------------------
@register.simple_tag(takes_context=True)
def allowed_url(context, name, *args, **kwargs) -> str:
    """``{% allowed_url "person-edit" person.pk as url %}`` — the address, or "" when the page
    would refuse the user (404/403): show the link or the button only ``{% if url %}``."""
    request = context.get("request")
    if request is None:
        return ""
    return links.allowed_url(request, name, *args, **kwargs)


@register.simple_tag(takes_context=True)
def can(context, action, obj=None) -> bool:
    """``{% can "registry.edit_people" person as may_edit %}`` — the access registry's answer."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return scope_of(request.user).can(action, obj)


# -- typography -----------------------------------------------------------------------------
@register.filter(is_safe=True)
def typo(value):
    """«школа № 6», «94,44 %» with non-breaking spaces (the text stays escaped as it was)."""
    if value is None:
        return ""
    return text.typography(value) if isinstance(value, str) else value


@register.filter
def num(value) -> str:
    """A whole number with its digits grouped by non-breaking spaces: «11 500» (but «1500»)."""
    try:
        return text.group_digits(int(value))
    except (TypeError, ValueError):
        return value


@register.simple_tag
def kept_minutes() -> int:
    """How long territory figures are kept (`nms.common.aggregates`), in whole minutes; 0: never."""
    return aggregates.kept_minutes()
