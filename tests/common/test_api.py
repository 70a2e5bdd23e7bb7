"""The API building blocks every app uses (nms.common.api): the scope's permission, service errors
as 400 answers, and references that resolve only within the scope."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from nms.accounts.models import Role
from nms.common.api import ScopeAllows, ScopedPrimaryKeyField, ScopePermission, service_errors
from nms.registry.models import Person

REFUSAL = "У вас нет прав на изменение реестра."


class EditPeopleView(APIView):
    permission_classes = [ScopeAllows("registry.edit_people", REFUSAL)]

    def get(self, request):
        return Response({"read": True})

    def post(self, request):
        return Response({"written": True})


def call(method: str, user=None, view=EditPeopleView):
    request = getattr(APIRequestFactory(), method)("/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return view.as_view()(request)


# -- ScopeAllows ---------------------------------------------------------------------------------
def test_scope_allows_is_a_permission_class_for_the_action():
    permission = ScopeAllows("registry.edit_people", REFUSAL)
    assert issubclass(permission, ScopePermission)
    assert (permission.action, permission.message) == ("registry.edit_people", REFUSAL)
    assert ScopeAllows("diagnostics.manage").message.startswith("У вас нет прав")


def test_scope_allows_refuses_a_write_without_the_action(make_user, two_municipalities):
    teacher = make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"])
    response = call("post", teacher)
    assert response.status_code == 403
    assert response.data["detail"] == REFUSAL


def test_scope_allows_lets_a_read_through_without_the_action(make_user, two_municipalities):
    teacher = make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"])
    response = call("get", teacher)
    assert response.status_code == 200
    assert response.data == {"read": True}


def test_scope_allows_a_write_with_the_action(make_user, two_municipalities):
    school = make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"])
    response = call("post", school)
    assert response.status_code == 200
    assert response.data == {"written": True}


@pytest.mark.parametrize("method", ["get", "post"])
def test_scope_allows_nothing_to_an_anonymous_user(db, method):
    response = call(method)
    assert response.status_code == 401
    assert response.data["detail"] != REFUSAL


# -- service_errors ------------------------------------------------------------------------------
class ServiceView(APIView):
    """Answers what `service_errors` makes of the error the test gives it."""

    permission_classes = []
    error: DjangoValidationError
    nested: dict = {}

    def post(self, request):
        with service_errors(**self.nested):
            raise self.error
        return Response()  # pragma: no cover


def service_answer(error, **nested):
    view = type("View", (ServiceView,), {"error": error, "nested": nested})
    return call("post", view=view)


def test_service_errors_answer_400_with_the_same_messages():
    error = DjangoValidationError(
        {
            "snils": ["Неверная контрольная сумма СНИЛС."],
            NON_FIELD_ERRORS: ["Такой работник уже есть."],
        }
    )
    response = service_answer(error)
    assert response.status_code == 400
    assert response.data == {
        "snils": ["Неверная контрольная сумма СНИЛС."],
        "non_field_errors": ["Такой работник уже есть."],
    }


def test_service_errors_answer_a_plain_message_as_non_field_error():
    response = service_answer(DjangoValidationError("Диагностика уже началась."))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Диагностика уже началась."]}


def test_service_errors_put_the_nested_object_errors_under_its_key():
    error = DjangoValidationError(
        {"snils": ["Неверный СНИЛС."], "organization": ["Организация вне области доступа."]}
    )
    response = service_answer(error, nested="employment", nested_fields=["organization"])
    assert response.status_code == 400
    assert response.data == {
        "snils": ["Неверный СНИЛС."],
        "employment": {"organization": ["Организация вне области доступа."]},
    }
    # Without errors of the nested object there is no empty key for it.
    response = service_answer(
        DjangoValidationError({"snils": ["Неверный СНИЛС."]}),
        nested="employment",
        nested_fields=["organization"],
    )
    assert response.data == {"snils": ["Неверный СНИЛС."]}


# -- ScopedPrimaryKeyField -----------------------------------------------------------------------
class PersonRefSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(lambda scope: scope.people(), queryset=Person.objects.all())


def person_ref(user, pk):
    request = APIRequestFactory().post("/")
    request.user = user
    context = {"request": request} if user is not None else {}
    return PersonRefSerializer(data={"person": pk}, context=context)


def test_scoped_reference_outside_the_scope_reads_as_does_not_exist(make_user, two_municipalities):
    a, b = two_municipalities["a"], two_municipalities["b"]
    school = make_user(Role.SCHOOL, organization=a["school"])

    inside = person_ref(school, a["teacher"].pk)
    assert inside.is_valid(), inside.errors
    assert inside.validated_data["person"] == a["teacher"]

    outside = person_ref(school, b["teacher"].pk)
    assert not outside.is_valid()
    missing_pk = Person.objects.order_by("-pk").first().pk + 1000
    missing = person_ref(school, missing_pk)
    assert not missing.is_valid()
    assert outside.errors["person"][0].code == missing.errors["person"][0].code == "does_not_exist"
    assert str(outside.errors["person"][0]) == str(missing.errors["person"][0]).replace(
        str(missing_pk), str(b["teacher"].pk)
    )


def test_scoped_reference_without_a_request_resolves_nothing(two_municipalities):
    serializer = person_ref(None, two_municipalities["a"]["teacher"].pk)
    assert not serializer.is_valid()
    assert serializer.errors["person"][0].code == "does_not_exist"
