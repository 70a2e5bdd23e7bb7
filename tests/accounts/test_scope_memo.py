"""A scope builds each model's visible queryset once and hands out fresh copies."""

import pytest

from nms.accounts import access
from nms.accounts.models import Role
from nms.accounts.scope import Scope, scope_of
from nms.registry.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_the_rule_runs_once_per_scope_and_copies_are_independent(users, monkeypatch):
    scope = Scope(users["municipal"])
    calls = []
    original = access.visible

    def counted(scope, model):
        calls.append(model)
        return original(scope, model)

    monkeypatch.setattr(access, "visible", counted)
    first = scope.people()
    second = scope.people()
    assert calls == [Person]
    assert first is not second and first.query is not second.query
    assert list(first.order_by("pk")) == list(second.order_by("pk"))
    list(first)  # a copy's rows do not stay on the scope's queryset
    assert second._result_cache is None
    scope.organizations()
    assert calls == [Person, Organization]


def test_restricted_scopes_are_made_once(users):
    scope = scope_of(users["school"])
    assert scope.restricted_to({Role.SCHOOL}) is scope.restricted_to([Role.SCHOOL.value])
    assert scope.restricted_to({Role.SCHOOL}).assignments == scope.assignments
    assert scope.restricted_to({Role.MINISTRY}).assignments == ()
