"""The ИОМ REST API, mounted at /api/v1/routes/ (see nms/urls.py): thin serializers and viewsets.

Reads start from `nms.routes.selectors`, writes go through `nms.routes.services`; the only work
done here is turning JSON into the services' arguments and their errors into HTTP answers
(Django's ValidationError → 400, PermissionDenied → 403, a route outside the scope → 404).
Every change of a route carries the version the user saw; a save on a stale copy is 409 Conflict
with the service's message and the route's current version.
"""

import copy
from contextlib import contextmanager
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from nms.accounts.models import User
from nms.accounts.scope import scope_of
from nms.common.views import xlsx_response
from nms.diagnostics.models import CompetencyArea
from nms.registry.api import ScopedPrimaryKeyField, service_errors
from nms.registry.filters import ById
from nms.registry.models import Person
from nms.routes import selectors, services, workflow
from nms.routes.exports import register_xlsx, route_docx
from nms.routes.filters import RouteFilterSet
from nms.routes.models import (
    ActivityKind,
    ItemReport,
    ItemStatus,
    Level,
    Route,
    RouteEvent,
    RouteItem,
    RouteTemplate,
    RouteVersion,
    Status,
    TemplateItem,
)
from nms.routes.suggestions import suggest

NAME = {"read_only": True, "allow_null": True}


def _enum_field(component: str, choices: list[tuple[str, str]]) -> type[serializers.ChoiceField]:
    """A choice field whose values are the one enum component `component` of the schema.

    The routes' states and levels share field names with other choice sets (`status`, `level`)
    and appear under several names (`status`, `from_status`, `target`); a named component keeps
    them one enum in the schema, free of drf-spectacular's naming-collision warnings.
    """

    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


RouteStatusField = _enum_field("RouteStatusEnum", Status.choices)
RouteItemStatusField = _enum_field("RouteItemStatusEnum", ItemStatus.choices)
LevelField = _enum_field("RouteLevelEnum", Level.choices)
TransitionField = _enum_field(
    "RouteTransitionEnum", [(t.name, t.label) for t in workflow.TRANSITIONS.values()]
)


# -- a save on a stale copy as 409 ---------------------------------------------------------------
class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.detail = {"detail": self.detail, "version": version}


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Текущая версия маршрута.")


def current_version(route: Route) -> int:
    return Route.objects.values_list("version", flat=True).get(pk=route.pk)


@contextmanager
def route_errors(route: Route):
    """The services' errors as HTTP answers; StaleRoute (a ValidationError) becomes a 409."""
    with service_errors():
        try:
            yield
        except services.StaleRoute as exc:
            raise Conflict(exc.messages[0], current_version(route)) from exc


def valid(serializer_class, request, data=None) -> dict:
    serializer = serializer_class(
        data=request.data if data is None else data, context={"request": request}
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        label="Версия маршрута",
        help_text="Версия, которую видел пользователь; если маршрут изменён после неё — 409.",
    )


STALE = {409: ConflictSerializer}


# -- the route's parts ---------------------------------------------------------------------------
class GeneralInfoSerializer(serializers.Serializer):
    """Section 1, as taken from the registry when the route was created."""

    full_name = serializers.CharField()
    birth_date = serializers.CharField()
    organization = serializers.CharField()
    organization_short = serializers.CharField()
    municipality = serializers.CharField()
    position = serializers.CharField()
    education = serializers.CharField()
    pedagogical_education = serializers.BooleanField()
    experience_years = serializers.CharField()
    category = serializers.CharField()
    attestation_date = serializers.CharField()
    subjects = serializers.CharField()


class DeficitSerializer(serializers.Serializer):
    """Section 2: an area's score in the diagnostics the route is built on."""

    area_id = serializers.IntegerField()
    area = serializers.CharField()
    score = serializers.CharField()
    max_score = serializers.CharField()
    share = serializers.CharField()
    is_deficit = serializers.BooleanField()


class RouteItemReportSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", **NAME)

    class Meta:
        model = ItemReport
        fields = [
            "id",
            "item",
            "author",
            "author_name",
            "text",
            "file",
            "link",
            "created_at",
            "decision",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class RouteItemSerializer(serializers.ModelSerializer):
    """A line of the development map (section 3) with the teacher's reports on it."""

    level = LevelField(read_only=True)
    area_name = serializers.CharField(source="area.name", **NAME)
    status = RouteItemStatusField(read_only=True)
    reports = RouteItemReportSerializer(many=True, read_only=True)

    class Meta:
        model = RouteItem
        fields = [
            "id",
            "position",
            *services.ITEM_FIELDS[:6],
            "area_name",
            *services.ITEM_FIELDS[6:],
            "status",
            "evidence_file",
            "evidence_link",
            "reports",
        ]
        read_only_fields = fields


class RouteItemWriteSerializer(VersionSerializer, serializers.ModelSerializer):
    level = LevelField(label="Уровень")

    class Meta:
        model = RouteItem
        fields = [*services.ITEM_FIELDS, "version"]


class RouteItemPatchSerializer(RouteItemWriteSerializer):
    """Only the fields given change; the version is always needed."""

    level = LevelField(label="Уровень", required=False)

    class Meta(RouteItemWriteSerializer.Meta):
        # The service cannot clear the area of an existing item (it would put "" in the key).
        extra_kwargs = {
            **{field: {"required": False} for field in services.ITEM_FIELDS},
            "area": {"required": False, "allow_null": False},
        }


class RouteItemChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Новая версия маршрута.")
    item = RouteItemSerializer()


class RouteEventSerializer(serializers.ModelSerializer):
    from_status = RouteStatusField(read_only=True, help_text="Пусто у первого шага (создание).")
    to_status = RouteStatusField(read_only=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True)

    class Meta:
        model = RouteEvent
        fields = ["from_status", "to_status", "actor", "actor_name", "comment", "created_at"]
        read_only_fields = fields


class OutcomeSerializer(serializers.Serializer):
    """An area's entry and exit share of a completed route."""

    area = serializers.CharField()
    entry = serializers.DecimalField(max_digits=5, decimal_places=2)
    exit = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    was_deficit = serializers.BooleanField()
    closed = serializers.BooleanField()


class TransitionOptionSerializer(serializers.Serializer):
    name = TransitionField()
    label = serializers.CharField()
    target = RouteStatusField()


# -- routes --------------------------------------------------------------------------------------
class RouteBaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    status = RouteStatusField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    methodist_name = serializers.CharField(source="methodist.display_name", **NAME)
    tutor_name = serializers.CharField(source="tutor.display_name", **NAME)

    class Meta:
        model = Route
        fields = [
            "id",
            "person",
            "person_name",
            "route_type",
            "status",
            "status_display",
            "starts_on",
            "ends_on",
            "methodist",
            "methodist_name",
            "tutor",
            "tutor_name",
            "version",
        ]
        read_only_fields = fields


class RouteRowSerializer(RouteBaseSerializer):
    """A row of the register: from the route, its person and methodist and the annotations."""

    organization = serializers.CharField(source="general_info.organization_short", read_only=True)
    municipality = serializers.CharField(source="general_info.municipality", read_only=True)
    items_total = serializers.IntegerField(read_only=True)
    items_done = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta(RouteBaseSerializer.Meta):
        fields = [
            *RouteBaseSerializer.Meta.fields,
            "organization",
            "municipality",
            "items_total",
            "items_done",
            "is_overdue",
        ]
        read_only_fields = fields


class RouteDetailSerializer(RouteBaseSerializer):
    """The four sections of the route, its workflow steps and what the user may do next."""

    general_info = GeneralInfoSerializer(read_only=True)
    deficits = DeficitSerializer(many=True, read_only=True)
    items = RouteItemSerializer(many=True, read_only=True)
    events = RouteEventSerializer(many=True, read_only=True)
    audit_due_on = serializers.DateField(read_only=True)
    outcome = serializers.SerializerMethodField(
        help_text="Изменение по областям между входной и выходной диагностикой (завершённый)."
    )
    available_transitions = serializers.SerializerMethodField(
        help_text="Шаги, которые пользователь может сделать в текущем состоянии."
    )
    can_edit_map = serializers.SerializerMethodField(
        help_text="Может ли пользователь сейчас менять карту развития."
    )

    class Meta(RouteBaseSerializer.Meta):
        fields = [
            *RouteBaseSerializer.Meta.fields,
            "audit_due_on",
            "template",
            "entry_result",
            "exit_result",
            "general_info",
            "deficits",
            "items",
            "evaluation",
            "self_evaluation",
            "school_proposals",
            "closed_reason",
            "outcome",
            "events",
            "available_transitions",
            "can_edit_map",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcome(self, route):
        return OutcomeSerializer(selectors.outcome(route), many=True).data

    @extend_schema_field(TransitionOptionSerializer(many=True))
    def get_available_transitions(self, route):
        role = scope_of(self.context["request"].user).role
        steps = workflow.available(role, route.status)
        return TransitionOptionSerializer(steps, many=True).data

    def get_can_edit_map(self, route) -> bool:
        return services.can_edit_map(self.context["request"].user, route)


def methodist_field():
    return ScopedPrimaryKeyField(
        lambda scope: selectors.methodists_visible(scope.user),
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        label="Региональный методист",
    )


class RouteCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(
        lambda scope: scope.people(), queryset=Person.objects.all(), label="Работник"
    )
    starts_on = serializers.DateField(label="Начало")
    ends_on = serializers.DateField(label="Окончание")
    methodist = methodist_field()


class TransitionSerializer(VersionSerializer):
    name = TransitionField(label="Шаг")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class GeneralInfoUpdateSerializer(VersionSerializer):
    """Section 1 while the route is a draft: only the fields given change."""

    organization = serializers.CharField(required=False, allow_blank=True, max_length=500)
    position = serializers.CharField(required=False, allow_blank=True, max_length=500)
    subjects = serializers.CharField(required=False, allow_blank=True, max_length=500)
    education = serializers.CharField(required=False, allow_blank=True, max_length=500)
    experience_years = serializers.DecimalField(
        required=False, max_digits=4, decimal_places=1, min_value=0, max_value=70
    )
    category = serializers.CharField(required=False, allow_blank=True, max_length=500)
    attestation_date = serializers.DateField(required=False)

    def validate(self, attrs):
        if "attestation_date" in attrs:
            attrs["attestation_date"] = attrs["attestation_date"].strftime("%d.%m.%Y")
        return attrs


class TextsSerializer(VersionSerializer):
    """Section 4 and the school's proposals: only the texts given change."""

    school_proposals = serializers.CharField(required=False, allow_blank=True)
    evaluation = serializers.CharField(required=False, allow_blank=True)
    self_evaluation = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if set(attrs) == {"version"}:
            raise serializers.ValidationError("Укажите хотя бы один текст.")
        return attrs


class RouteVersionSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", **NAME)

    class Meta:
        model = RouteVersion
        fields = ["number", "author", "author_name", "reason", "created_at"]
        read_only_fields = fields


class RouteVersionDetailSerializer(RouteVersionSerializer):
    class Meta(RouteVersionSerializer.Meta):
        fields = [*RouteVersionSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class SuggestionSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    level = LevelField()
    activity_kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField()
    result_form = serializers.CharField()
    source = serializers.CharField()
    why = serializers.CharField()


class AreaSuggestionsSerializer(serializers.Serializer):
    area = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class DueItemSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="route.person.full_name", read_only=True)
    status = RouteItemStatusField(read_only=True)

    class Meta:
        model = RouteItem
        fields = ["id", "route", "person_name", "title", "due_on", "status"]
        read_only_fields = fields


class AuditDueSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    audit_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = Route
        fields = ["id", "person", "person_name", "ends_on", "audit_due_on"]
        read_only_fields = fields


class DashboardSerializer(serializers.Serializer):
    overdue_items = DueItemSerializer(many=True)
    audits_due = AuditDueSerializer(many=True)


class OutcomesSummarySerializer(serializers.Serializer):
    completed = serializers.IntegerField(help_text="Завершённых маршрутов с обеими диагностиками.")
    with_deficits = serializers.IntegerField(help_text="Из них с дефицитами на входе.")
    closed = serializers.IntegerField(help_text="Из них все дефициты закрыты на выходе.")
    share = serializers.FloatField(allow_null=True, help_text="Доля закрывших дефициты, %.")


# -- reports -------------------------------------------------------------------------------------
class ReportCreateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", label="Отчёт")
    file = serializers.FileField(required=False, label="Файл")
    link = serializers.URLField(required=False, allow_blank=True, default="", label="Ссылка")


class ReportDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField(label="Принять", help_text="Нет — вернуть на доработку.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# -- templates -----------------------------------------------------------------------------------
class TemplateItemSerializer(serializers.ModelSerializer):
    level = LevelField(label="Уровень")

    class Meta:
        model = TemplateItem
        fields = [
            "position",
            "level",
            "activity_kind",
            "title",
            "source",
            "area",
            "competency",
            "start_offset_days",
            "duration_days",
            "result_form",
        ]
        read_only_fields = ["position"]


class RouteTemplateSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", **NAME)
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = RouteTemplate
        fields = ["id", "name", "description", "areas", "author_name", "created_at", "items"]
        read_only_fields = fields


class RouteTemplateCreateSerializer(serializers.ModelSerializer):
    areas = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CompetencyArea.objects.all(), required=False, label="Дефициты"
    )
    items = TemplateItemSerializer(many=True, label="Пункты")

    class Meta:
        model = RouteTemplate
        fields = ["name", "description", "areas", "items"]


class TemplateApplySerializer(serializers.Serializer):
    people = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        label="Работники (id)",
        help_text="Кто вне области доступа или уже имеет действующий маршрут — пропускается.",
    )
    starts_on = serializers.DateField(label="Начало")
    ends_on = serializers.DateField(label="Окончание")
    methodist = methodist_field()


class TemplateAppliedSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Создано маршрутов.")
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="Их id.")


# -- the register's filters: the pages' own, with the ids typed for the schema ----------------
class RouteApiFilterSet(RouteFilterSet):
    municipality = ById(copy.deepcopy(RouteFilterSet.base_filters["municipality"]))
    organization = ById(copy.deepcopy(RouteFilterSet.base_filters["organization"]))


# -- viewsets ------------------------------------------------------------------------------------
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH)
VERSION_NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH)
VERSION_QUERY = OpenApiParameter(
    "version", int, required=True, description=VersionSerializer().fields["version"].help_text
)


@extend_schema_view(
    create=extend_schema(request=RouteCreateSerializer, responses={201: RouteDetailSerializer})
)
class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Индивидуальные образовательные маршруты (ИОМ) работников в области доступа пользователя."""

    queryset = Route.objects.none()  # the schema's model; the objects come from get_queryset
    filterset_class = RouteApiFilterSet

    def get_queryset(self):
        user = self.request.user
        if self.action in ("list", "export"):
            return selectors.register(user)
        if self.action == "retrieve":
            return selectors.routes_detailed(user)
        return selectors.routes_visible(user)

    def get_serializer_class(self):
        return RouteRowSerializer if self.action == "list" else RouteDetailSerializer

    def _detail(self, route, status_code=status.HTTP_200_OK):
        route = selectors.routes_detailed(self.request.user).get(pk=route.pk)
        data = RouteDetailSerializer(route, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def _item_change(self, route, item, status_code=status.HTTP_200_OK):
        data = {"version": current_version(route), "item": item}
        context = self.get_serializer_context()
        return Response(RouteItemChangeSerializer(data, context=context).data, status=status_code)

    def create(self, request, *args, **kwargs):
        data = valid(RouteCreateSerializer, request)
        with service_errors():
            route = services.route_create(
                request.user,
                data["person"],
                data["starts_on"],
                data["ends_on"],
                methodist=data.get("methodist"),
            )
        return self._detail(route, status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: RouteDetailSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Шаг маршрута по таблице участников (seed 002): только своей роли, с комментарием."""
        route = self.get_object()
        data = valid(TransitionSerializer, request)
        with route_errors(route):
            services.transition(request.user, route, data["name"], data["comment"], data["version"])
        return self._detail(route)

    @extend_schema(
        request=RouteItemWriteSerializer, responses={201: RouteItemChangeSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Добавить пункт в карту профессионального развития."""
        route = self.get_object()
        data = valid(RouteItemWriteSerializer, request)
        version = data.pop("version")
        with route_errors(route):
            item = services.item_add(request.user, route, data, version)
        return self._item_change(route, item, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[ITEM_ID],
        request=RouteItemPatchSerializer,
        responses={200: RouteItemChangeSerializer, **STALE},
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ITEM_ID, VERSION_QUERY],
        request=None,
        responses={200: VersionSerializer, **STALE},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"items/(?P<item_id>[0-9]+)")
    def item(self, request, pk=None, item_id=None):
        """Изменить пункт карты (только переданные поля) или удалить его (версия — в запросе)."""
        route = self.get_object()
        item = get_object_or_404(route.items, pk=item_id)
        if request.method == "DELETE":
            version = valid(VersionSerializer, request, request.query_params)["version"]
            with route_errors(route):
                services.item_delete(request.user, item, version)
            return Response({"version": current_version(route)})
        data = valid(RouteItemPatchSerializer, request)
        version = data.pop("version")
        with route_errors(route):
            item = services.item_update(request.user, item, data, version)
        return self._item_change(route, item)

    @extend_schema(
        request=GeneralInfoUpdateSerializer, responses={200: RouteDetailSerializer, **STALE}
    )
    @action(detail=True, methods=["post"], url_path="general-info")
    def general_info(self, request, pk=None):
        """Раздел 1 «Общие сведения»: педагог уточняет его, пока маршрут — черновик."""
        route = self.get_object()
        data = valid(GeneralInfoUpdateSerializer, request)
        version = data.pop("version")
        with route_errors(route):
            services.general_info_update(request.user, route, data, version)
        return self._detail(route)

    @extend_schema(request=TextsSerializer, responses={200: RouteDetailSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def texts(self, request, pk=None):
        """Предложения администрации ОО, оценка методиста, самооценка педагога (раздел 4)."""
        route = self.get_object()
        data = valid(TextsSerializer, request)
        version = data.pop("version")
        with route_errors(route):
            services.texts_update(request.user, route, data, version)
        return self._detail(route)

    @extend_schema(responses=RouteVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """История изменений маршрута: версии по порядку."""
        route = self.get_object()
        page = self.paginate_queryset(route.versions.select_related("author"))
        return self.get_paginated_response(RouteVersionSerializer(page, many=True).data)

    @extend_schema(parameters=[VERSION_NUMBER], responses=RouteVersionDetailSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)")
    def version_detail(self, request, pk=None, number=None):
        """Версия маршрута: снимок всех полей и карты после изменения."""
        route = self.get_object()
        version = get_object_or_404(route.versions.select_related("author"), number=number)
        return Response(RouteVersionDetailSerializer(version).data)

    @extend_schema(responses=AreaSuggestionsSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request, pk=None):
        """Предлагаемые мероприятия для каждого дефицита маршрута."""
        proposals = suggest(self.get_object())
        rows = [{"area": area, "suggestions": found} for area, found in proposals.items()]
        return Response(AreaSuggestionsSerializer(rows, many=True).data)

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """Маршрут в официальной форме (Word)."""
        route = self.get_object()
        response = HttpResponse(route_docx(route), content_type=DOCX)
        filename = f"ИОМ {route.person.full_name}.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response

    @extend_schema(filters=True, responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """Реестр маршрутов (XLSX) с теми же фильтрами, что и список."""
        routes = self.filter_queryset(self.get_queryset())
        return xlsx_response(register_xlsx(routes), "Реестр ИОМ.xlsx")

    @extend_schema(responses=DashboardSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def dashboard(self, request):
        """Что требует внимания: просроченные пункты и маршруты, которым пора на аудит."""
        return Response(DashboardSerializer(selectors.due_for(request.user)).data)

    @extend_schema(responses=OutcomesSummarySerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def outcomes(self, request):
        """Результативность: доля завершённых маршрутов, закрывших все входные дефициты."""
        return Response(OutcomesSummarySerializer(selectors.outcomes_summary(request.user)).data)


class RouteItemViewSet(viewsets.GenericViewSet):
    """Пункты карт развития маршрутов в области доступа пользователя."""

    queryset = RouteItem.objects.none()  # the schema's model; the objects come from get_queryset
    serializer_class = RouteItemSerializer

    def get_queryset(self):
        return selectors.items_visible(self.request.user)

    @extend_schema(request=ReportCreateSerializer, responses={201: RouteItemReportSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def reports(self, request, pk=None):
        """Отчёт педагога о выполнении пункта: текст, файл или ссылка."""
        item = self.get_object()
        data = valid(ReportCreateSerializer, request)
        with service_errors():
            report = services.report_submit(request.user, item, **data)
        context = self.get_serializer_context()
        data = RouteItemReportSerializer(report, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


class RouteReportViewSet(viewsets.GenericViewSet):
    """Отчёты по пунктам маршрутов в области доступа пользователя."""

    queryset = ItemReport.objects.none()  # the schema's model; the objects come from get_queryset
    serializer_class = RouteItemReportSerializer

    def get_queryset(self):
        return selectors.reports_visible(self.request.user).select_related("item__route")

    @extend_schema(request=ReportDecisionSerializer, responses=RouteItemReportSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Решение регионального методиста: принять отчёт или вернуть с комментарием."""
        report = self.get_object()
        data = valid(ReportDecisionSerializer, request)
        with service_errors():
            report = services.report_decide(request.user, report, **data)
        return Response(self.get_serializer(report).data)


@extend_schema_view(
    create=extend_schema(
        request=RouteTemplateCreateSerializer, responses={201: RouteTemplateSerializer}
    )
)
class RouteTemplateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Шаблоны ИОМ региона: карта развития, составленная один раз для группы с общими дефицитами."""

    queryset = RouteTemplate.objects.none()  # the schema's model; objects come from get_queryset
    serializer_class = RouteTemplateSerializer

    def get_queryset(self):
        return (
            selectors.templates_visible(self.request.user)
            .select_related("author")
            .prefetch_related("items", "areas")
        )

    def create(self, request, *args, **kwargs):
        data = valid(RouteTemplateCreateSerializer, request)
        with service_errors():
            template = services.template_create(
                request.user,
                data["name"],
                data["items"],
                description=data.get("description", ""),
                areas=data.get("areas", ()),
            )
        data = self.get_serializer(self.get_queryset().get(pk=template.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TemplateApplySerializer, responses={201: TemplateAppliedSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Создать по шаблону независимые черновики маршрутов для группы работников."""
        template = self.get_object()
        data = valid(TemplateApplySerializer, request)
        with service_errors():
            routes = services.routes_from_template(
                request.user,
                template,
                Person.objects.filter(pk__in=data["people"]).only("pk"),
                data["starts_on"],
                data["ends_on"],
                methodist=data.get("methodist"),
            )
        answer = {"count": len(routes), "ids": [route.pk for route in routes]}
        return Response(TemplateAppliedSerializer(answer).data, status=status.HTTP_201_CREATED)
