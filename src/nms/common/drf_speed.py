"""DRF's check whether an attribute is a method to call, remembered per function.

For every field of every row DRF asks `is_simple_callable(value)`; for a method (a model's
`age`, `experience_years`, …) that means `inspect.signature` each time: half the time of an API
list of 50 people went there. The answer depends only on the function, so it is computed once
per function (bound methods without their first parameter, as `inspect.signature` gives them);
anything else is left to DRF's own check.
"""

import inspect
from functools import lru_cache

from rest_framework import fields, relations

_drf_is_simple_callable = fields.is_simple_callable


@lru_cache(maxsize=4096)
def _takes_no_arguments(function, bound: bool) -> bool:
    parameters = list(inspect.signature(function).parameters.values())
    if bound:
        parameters = parameters[1:]
    return all(
        p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty for p in parameters
    )


def is_simple_callable(obj) -> bool:
    """True if the object is a callable that takes no arguments (DRF's rule)."""
    if inspect.ismethod(obj) and inspect.isfunction(obj.__func__):
        return _takes_no_arguments(obj.__func__, True)
    if inspect.isfunction(obj):
        return _takes_no_arguments(obj, False)
    return _drf_is_simple_callable(obj)


def install() -> None:
    fields.is_simple_callable = is_simple_callable
    relations.is_simple_callable = is_simple_callable
