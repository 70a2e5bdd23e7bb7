"""What every app's REST API is built from: the scope's permission, scoped references, service
errors as HTTP answers, writes through a service, and the import endpoints' shapes.

Reads start from the user's scope (the apps' selectors), writes go through the apps' services;
an API module only turns JSON into the services' arguments and their errors into HTTP answers
(Django's ValidationError → 400, PermissionDenied → 403, an object outside the scope → 404).
"""

import re
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from nms.accounts.scope import scope_of
from nms.common import concurrency
from nms.common.filters import parse_id
from nms.common.views import declared

NO_RIGHTS = "У вас нет прав на это действие."


# -- who may write -------------------------------------------------------------------------------
class ScopePermission(permissions.BasePermission):
    """Reads for any signed-in user — which objects they see is the queryset's job; writes only
    when the scope allows `action`. Whether the given object may be changed is decided by the
    service. Made by `ScopeAllows`.

    On a URL naming one object the object is looked up first, so one outside the scope answers
    404 whatever the method — a refusal (403) would tell that it exists.
    """

    action: str = ""
    message: str = NO_RIGHTS

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or _names_an_object(view):
            return True
        return scope_of(request.user).can(self.action)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return scope_of(request.user).can(self.action)


def _names_an_object(view) -> bool:
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(lookup and lookup in getattr(view, "kwargs", {}))


def ScopeAllows(action: str, message: str = NO_RIGHTS) -> type[ScopePermission]:  # noqa: N802
    """The permission class for a viewset whose writes need `action` of the access registry,
    e.g. `permission_classes = [ScopeAllows("registry.edit_people", services.NO_RIGHTS)]`;
    `message` is the Russian refusal of a write (403)."""
    name = "ScopeAllows_" + "".join(c if c.isalnum() else "_" for c in action)
    return type(name, (ScopePermission,), {"action": action, "message": message})


# -- references within the scope ---------------------------------------------------------------
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference that resolves only among the objects the user may see, so an id outside the
    scope reads the same as an id that does not exist.

    `scoped_queryset` takes the user's scope and returns the queryset to look the id up in;
    `queryset` is the model's (for the schema and for a serializer without a request).
    """

    def __init__(self, scoped_queryset, **kwargs):
        self.scoped_queryset = scoped_queryset
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.scoped_queryset(scope_of(request.user))


# -- errors of the services as HTTP answers ---------------------------------------------------
def _error_detail(exc: DjangoValidationError, nested: str | None, nested_fields: Iterable[str]):
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    if nested:
        inner = {key: detail.pop(key) for key in list(detail) if key in nested_fields}
        if inner:
            detail[nested] = inner
    return detail


@contextmanager
def service_errors(nested: str | None = None, nested_fields: Iterable[str] = ()):
    """Django's ValidationError from a service becomes a 400 with the same Russian messages.

    PermissionDenied (403) and Http404 (404) are answered by DRF itself. With `nested`, errors of
    `nested_fields` are put under that key (the nested object of the request).
    """
    try:
        yield
    except concurrency.StaleRecord as exc:
        raise concurrency.Conflict(exc.messages[0], exc.current_version) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(_error_detail(exc, nested, nested_fields)) from exc


# -- writes through a service -------------------------------------------------------------------
class ServiceWritesMixin:
    """create/update through a service; the answer is the object re-read through the scope.

    A viewset sets the three serializer classes and defines `perform_service_create(data)` and
    `perform_service_update(instance, data)`, each returning the saved object.
    """

    read_serializer_class: type[serializers.Serializer]
    write_serializer_class: type[serializers.Serializer]
    create_serializer_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class or self.write_serializer_class
        if self.action in ("update", "partial_update"):
            return self.write_serializer_class
        return self.read_serializer_class

    def _answer(self, instance, status_code=status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=instance.pk)
        response = Response(self.read_serializer_class(instance).data, status=status_code)
        return concurrency.with_etag(response, instance)

    def retrieve(self, request, *args, **kwargs):
        """The object; a versioned one with `ETag: "<version>"` for `If-Match` on its update."""
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return concurrency.with_etag(response, instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_create(serializer.validated_data)
        return self._answer(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        # The version the client saw (If-Match, `version`, else the one just read): a save over
        # a change made since then is 409 (nms.common.concurrency).
        self.expected_version = concurrency.expected_version(request, instance)
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_update(instance, serializer.validated_data)
        return self._answer(instance)


def write_docs(read, write, create=None):
    """The schema of a `ServiceWritesMixin` viewset: what create/update take and answer."""
    docs = {
        "create": extend_schema(request=create or write, responses={201: read}),
        "update": extend_schema(request=write, responses=read),
        "partial_update": extend_schema(request=write, responses=read),
    }
    return extend_schema_view(**docs)


# -- ids in the path ---------------------------------------------------------------------------
class IdLookupMixin:
    """The object's id in the path (and any other `…_id`/`pk` part of it) must be an id the
    database can hold — digits, 1 to a bigint's max — or the answer is 404 before any query:
    "abc" or 99999999999999999999 would otherwise reach the database (ValueError, overflow: 500).

    The router already takes digits only (nms.api_urls.ID_LOOKUP); this guards the range, and a
    viewset mounted elsewhere."""

    def _lookup_kwargs(self):
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk")
        return [
            key
            for key in self.kwargs
            if key == lookup or key == "pk" or key.endswith("_id") or key.endswith("_pk")
        ]

    def initial(self, request, *args, **kwargs):
        for key in self._lookup_kwargs():
            if parse_id(self.kwargs[key]) is None:
                raise Http404
        super().initial(request, *args, **kwargs)

    def get_object(self):
        for key in self._lookup_kwargs():
            if parse_id(self.kwargs[key]) is None:
                raise Http404
        return super().get_object()


# -- the viewset every model's API is built from ----------------------------------------------
class ScopedModelViewSet(
    IdLookupMixin,
    ServiceWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A model's API from its declared shape:

        class OrganizationViewSet(ScopedModelViewSet):
            selector = staticmethod(selectors.organizations_for_list)  # or model = Organization
            filterset_class = OrganizationFilterSet
            read_serializer_class = OrganizationSerializer
            write_serializer_class = OrganizationWriteSerializer
            scope_action = "registry.edit_organizations"
            create_service = staticmethod(services.organization_create)  # (user, data)
            update_service = staticmethod(services.organization_update)  # (user, obj, data)

    Reads: `selector(user)`, or the access registry's `scope.visible(model)`, or (dictionaries
    with no territory) the `queryset` attribute. Writes: only the methods whose service is
    declared (`destroy_service(user, obj)` for DELETE), others answer 405; permission
    `ScopeAllows(scope_action, scope_message)`, the object looked up first (outside the scope:
    404); the service's errors as 400/403 (`service_errors`); the answer re-read through the
    scope. A viewset with a nested object to create overrides `perform_service_create`.
    """

    model = None
    selector = None
    scope_action = ""
    scope_message = NO_RIGHTS
    read_serializer_class = None
    write_serializer_class = None
    create_serializer_class = None
    create_service = None
    update_service = None
    destroy_service = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.scope_action:
            cls.permission_classes = [ScopeAllows(cls.scope_action, cls.scope_message)]
        writes = {
            "post": declared(cls, "create_service") or _overrides(cls, "perform_service_create"),
            "put": declared(cls, "update_service") or _overrides(cls, "perform_service_update"),
            "delete": declared(cls, "destroy_service") or _overrides(cls, "perform_destroy"),
        }
        names = ["get", "head", "options"] + [m for m, on in writes.items() if on]
        if writes["put"]:
            names.append("patch")
        cls.http_method_names = names
        if cls.write_serializer_class is not None:
            write_docs(
                cls.read_serializer_class, cls.write_serializer_class, cls.create_serializer_class
            )(cls)

    def get_serializer_class(self):
        if self.write_serializer_class is None:
            return self.read_serializer_class
        return super().get_serializer_class()

    def get_queryset(self):
        selector = declared(self, "selector")
        if selector is not None:
            return selector(self.request.user)
        if self.model is not None:
            return scope_of(self.request.user).visible(self.model)
        return super().get_queryset()

    def perform_service_create(self, data):
        with service_errors():
            return declared(self, "create_service")(self.request.user, data)

    def perform_service_update(self, instance, data):
        service = declared(self, "update_service")
        kwargs = {}
        if concurrency.is_versioned(instance):
            kwargs["expected_version"] = self.expected_version
        with service_errors():
            return service(self.request.user, instance, data, **kwargs)

    def perform_destroy(self, instance):
        kwargs = {}
        if concurrency.is_versioned(instance):  # a stale DELETE is 409 as a stale PATCH
            kwargs["expected_version"] = concurrency.expected_version(self.request, instance)
        with service_errors():
            declared(self, "destroy_service")(self.request.user, instance, **kwargs)


def _overrides(cls, name: str) -> bool:
    """Whether a subclass defines its own `name` (a write without a declared service)."""
    return getattr(cls, name) is not getattr(ScopedModelViewSet, name, None)


# -- import endpoints ---------------------------------------------------------------------------
class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Файл XLSX по шаблону со страницы импорта")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="номер строки в Excel")
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


# -- the schema the answers match -----------------------------------------------------------------
class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, told two things it cannot see (checked by the schemathesis run,
    tests/common/test_api_fuzz.py):

    - a field whose model field may be blank answers "" — a choice ("" besides the enum), an
      e-mail or a URL ("" besides the format) — also when the field is read-only (DRF drops
      `allow_blank` from read-only fields, so the schema said the format or the enum only);
    - a viewset with `single_object = True` answers one object on its `list` route (e.g.
      /choices/), not an array.
    """

    def _is_list_view(self, serializer=None):
        if getattr(self.view, "single_object", False):
            return False
        return super()._is_list_view(serializer)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not _may_be_blank(field):
            return schema
        if "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        elif schema.get("format") in ("email", "uri"):
            return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
        return schema


def _may_be_blank(field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except Exception:  # not a model field (a property, an annotation)
        return False


# -- dates -------------------------------------------------------------------------------------
# The API takes ДД.ММ.ГГГГ, as the pages do, and ISO 8601 (ГГГГ-ММ-ДД, what it answers with) —
# settings.REST_FRAMEWORK["DATE_INPUT_FORMATS"]; either only with two-digit day and month:
# strptime and Django's parse_date alone would take 4.3.1985 and 1985-3-4.
STRICT_API_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}")
API_DATE_FORMAT_MESSAGE = (
    "Дата должна быть в формате ДД.ММ.ГГГГ (день и месяц двумя цифрами), "
    "например 04.03.1985, или ГГГГ-ММ-ДД."
)


class StrictDateField(serializers.DateField):
    """A date of the API: ДД.ММ.ГГГГ or ГГГГ-ММ-ДД, the day and the month with two digits."""

    default_error_messages = {"invalid": API_DATE_FORMAT_MESSAGE}

    def to_internal_value(self, value):
        if isinstance(value, str) and not STRICT_API_DATE.fullmatch(value.strip()):
            self.fail("invalid")
        return super().to_internal_value(value.strip() if isinstance(value, str) else value)


class StrictDatesMixin:
    """A model serializer whose date fields are `StrictDateField`s; it comes first:
    `class PersonWriteSerializer(StrictDatesMixin, serializers.ModelSerializer)`."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: StrictDateField,
    }
