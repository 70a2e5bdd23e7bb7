"""DRF's callable check, remembered per function, answers as DRF's own does."""

import functools

import pytest

from nms.common import drf_speed


class Sample:
    def plain(self):
        return 1

    def with_default(self, x=1):
        return x

    def needs(self, x):
        return x

    def star(self, *args, **kwargs):
        return args

    @classmethod
    def klass(cls):
        return cls

    @staticmethod
    def static(x):
        return x

    @property
    def prop(self):
        return 1


def module_function():
    return 1


def module_needs(x):
    return x


CASES = [
    Sample().plain,
    Sample().with_default,
    Sample().needs,
    Sample().star,
    Sample.klass,
    Sample.static,
    Sample().prop,
    module_function,
    module_needs,
    functools.partial(module_needs, 1),
    functools.partial(module_needs),
    lambda: 1,
    lambda x: x,
    object(),
    "text",
    Sample,
]


@pytest.mark.parametrize("obj", CASES)
def test_the_same_answer_as_drf(obj):
    assert drf_speed.is_simple_callable(obj) == drf_speed._drf_is_simple_callable(obj)


def test_builtins_are_refused_as_by_drf():
    from rest_framework.fields import BuiltinSignatureError

    with pytest.raises(BuiltinSignatureError):
        drf_speed.is_simple_callable(len)


def test_installed():
    from rest_framework import fields, relations

    assert fields.is_simple_callable is drf_speed.is_simple_callable
    assert relations.is_simple_callable is drf_speed.is_simple_callable
