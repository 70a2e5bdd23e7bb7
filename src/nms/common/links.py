"""Links only where the page would answer: the link and the page's refusal come from one check.

`allowed_url(request, "organization-detail", pk)` is the page's address when the page at that
address would answer the user, else "". It asks the page itself: a view built on
`nms.common.views.ScopedMixin` runs its `authorize()` (the scope's `view_action`, the object
looked up in the scope, the action checked on it) exactly as it does when it is opened. A view
of another kind may declare `permits(request, *args, **kwargs) -> bool` (a function view: as an
attribute of the function, see `permits_with`); one without it is taken to answer everybody who
is logged in.

Templates: `{% allowed_url "person-edit" person.pk as edit_url %}{% if edit_url %}…{% endif %}`
(nms.common.templatetags.nms). The answers are remembered for the request.
"""

from collections.abc import Callable

from django.urls import NoReverseMatch, resolve, reverse

_CACHE_ATTR = "_nms_allowed_urls"


def _checker(func) -> Callable | None:
    view_class = getattr(func, "view_class", None)
    return getattr(view_class, "permits", None) or getattr(func, "permits", None)


def url_permitted(request, url: str) -> bool:
    """Whether the page at this path (of our URL conf) would answer the request's user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    path = url.split("?", 1)[0]
    cache = getattr(request, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTR, cache)
    if path not in cache:
        match = resolve(path)
        check = _checker(match.func)
        cache[path] = True if check is None else bool(check(request, *match.args, **match.kwargs))
    return cache[path]


def allowed_url(request, name: str, *args, **kwargs) -> str:
    """The address of the named page if it would answer the user, else ""."""
    try:
        url = reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return url if url_permitted(request, url) else ""


def permits_with(check: Callable):
    """Declares a function view's check for its links: `@permits_with(lambda request, **kw: …)`."""

    def decorate(view):
        view.permits = check
        return view

    return decorate
