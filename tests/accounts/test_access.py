"""The access registry and role assignments: union of roles, periods, the rule of the object."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from nms.accounts import access
from nms.accounts.models import Role, RoleAssignment
from nms.accounts.scope import scope_of
from tests.factories import UserFactory, assign


def fresh(user):
    user.__dict__.pop("_nms_scope", None)
    return scope_of(user)


def test_every_model_with_a_scope_is_registered():
    labels = {model._meta.label for model in access.registered_models()}
    expected = {
        "registry.Person", "registry.Organization", "registry.Employment",
        "registry.Municipality", "registry.Region", "diagnostics.Procedure",
        "diagnostics.Group", "diagnostics.Result", "diagnostics.Attempt", "itembank.Item",
        "routes.Route", "routes.RouteItem", "routes.ItemReport", "routes.RouteVersion",
        "routes.RouteTemplate",
    }  # fmt: skip
    assert expected <= labels


def test_unknown_action_is_a_programming_error(make_user):
    with pytest.raises(LookupError):
        scope_of(make_user(Role.CNPPM)).can("registry.fly")


def test_scope_is_the_union_of_roles(make_user, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    user = make_user(Role.TEACHER, person=a["teacher"])
    assert set(scope_of(user).people()) == {a["teacher"]}
    assign(user, Role.SCHOOL, organization=b["school"])
    scope = fresh(user)
    assert set(scope.people()) == {a["teacher"], b["teacher"], b["director"]}
    assert set(scope.organizations()) == {a["school"], b["school"]}
    assert scope.role_labels == ["администрация ОО", "педагог"]
    # Editing is the school role's: its organization only, never the teacher's own school.
    assert scope.can("registry.edit_people", b["teacher"])
    assert not scope.can("registry.edit_people", a["director"])
    assert set(scope.editable_organizations()) == {b["school"]}


def test_assignments_act_only_within_their_period(make_user, region, two_municipalities):
    a = two_municipalities["a"]
    user = make_user(Role.TEACHER, person=a["teacher"])
    past = assign(user, Role.CNPPM, region=region)
    past.valid_to = date.today() - timedelta(days=1)
    past.save()
    assert fresh(user).roles == {Role.TEACHER}
    past.valid_from, past.valid_to = date.today(), None
    past.save()
    assert fresh(user).roles == {Role.TEACHER, Role.CNPPM}


def test_assignment_needs_its_binding_and_a_sane_period(make_user):
    user = make_user(Role.TEACHER)
    with pytest.raises(ValidationError, match="укажите: муниципальное образование"):
        RoleAssignment(user=user, role=Role.MUNICIPAL).full_clean()
    bad = RoleAssignment(
        user=user, role=Role.ADMIN, valid_from=date(2026, 2, 1), valid_to=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="Окончание действия раньше начала"):
        bad.full_clean()


def test_superuser_sees_everything_without_an_assignment(two_municipalities):
    admin = UserFactory(role=Role.ADMIN)
    assert scope_of(admin).is_all
    assert scope_of(admin).people().count() == 4
