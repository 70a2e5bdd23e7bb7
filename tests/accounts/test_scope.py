"""Each role sees only its scope: people, organizations, municipalities."""

import pytest

from nms.accounts.scope import scope_of


@pytest.mark.parametrize(
    "role, people, organizations, municipalities",
    [
        ("admin", 4, 2, 2),
        ("ministry", 4, 2, 2),
        ("cnppm", 4, 2, 2),
        ("municipal", 2, 1, 1),
        ("school", 2, 1, 1),
        ("teacher", 1, 1, 1),
        ("methodist", 1, 1, 1),
    ],
)
def test_each_role_sees_its_scope(users, role, people, organizations, municipalities):
    scope = scope_of(users[role])
    assert scope.people().count() == people
    assert scope.organizations().count() == organizations
    assert scope.municipalities().count() == municipalities


def test_municipal_user_never_sees_other_municipality(users, two_municipalities):
    scope = scope_of(users["municipal"])
    b = two_municipalities["b"]
    assert not scope.people().filter(pk=b["teacher"].pk).exists()
    assert not scope.organizations().filter(pk=b["school"].pk).exists()
    assert not scope.employments().filter(person=b["teacher"]).exists()


def test_anonymous_sees_nothing(db, two_municipalities):
    from django.contrib.auth.models import AnonymousUser

    scope = scope_of(AnonymousUser())
    assert scope.people().count() == 0
    assert scope.organizations().count() == 0


def test_write_rights_follow_role(users, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    assert scope_of(users["school"]).can_edit_person(a["teacher"])
    assert not scope_of(users["school"]).can_edit_person(b["teacher"])
    assert not scope_of(users["ministry"]).can_edit_person(a["teacher"])
    assert not scope_of(users["teacher"]).can_edit_person(a["teacher"])
    assert scope_of(users["municipal"]).can_edit_organization(a["school"])
    assert not scope_of(users["school"]).can_edit_organization(a["school"])
