"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns).

- roadmap/roadmaps — roadmaps (the ministry and ЦНППМ create and change them);
- roadmap/directions, roadmap/measures — a roadmap's directions and system-forming measures
  (?roadmap=, ?q=); the roadmap's editors create, change and delete them — a delete is refused
  (400) while measures (activities) belong to the record;
- roadmap/activities — activities with their reporting periods and the computed state
  (`overdue` when the due date has passed and it is not done); PATCH by the roadmap's editors;
  POST …/{id}/status/ — the status of a year with evidence (the responsible subject);
- roadmap/agreements — agreements; roadmap/documents — the register of documents with the
  current version.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.accounts.scope import get_visible_or_404
from nms.common.api import (
    IdLookupMixin,
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    service_errors,
)
from nms.common.concurrency import ConflictSerializer
from nms.roadmap import selectors, services
from nms.roadmap.filters import (
    ActivityFilterSet,
    AgreementFilterSet,
    DirectionFilterSet,
    DocumentFilterSet,
    MeasureFilterSet,
    RoadmapFilterSet,
)
from nms.roadmap.models import (
    Activity,
    ActivityPeriod,
    Agreement,
    AgreementKind,
    DeadlineKind,
    Direction,
    Document,
    DocumentKind,
    DocumentLevel,
    Measure,
    ResponsibleKind,
    Roadmap,
    State,
    Status,
)

STALE = {409: ConflictSerializer}


def _enum_field(component: str, choices) -> type[serializers.ChoiceField]:
    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


ResponsibleKindField = _enum_field("RoadmapResponsibleKindEnum", ResponsibleKind.choices)
DeadlineKindField = _enum_field("RoadmapDeadlineKindEnum", DeadlineKind.choices)
StatusField = _enum_field("RoadmapStatusEnum", Status.choices)
StateField = _enum_field("RoadmapStateEnum", State.choices)
AgreementKindField = _enum_field("RoadmapAgreementKindEnum", AgreementKind.choices)
DocumentKindField = _enum_field("RoadmapDocumentKindEnum", DocumentKind.choices)
DocumentLevelField = _enum_field("RoadmapDocumentLevelEnum", DocumentLevel.choices)


# -- roadmaps ----------------------------------------------------------------------------------
class RoadmapSerializer(serializers.ModelSerializer):
    approved_on = StrictDateField(required=False, allow_null=True)

    class Meta:
        model = Roadmap
        fields = [
            "id", "region", "title", "starts_year", "ends_year", "approved_on", "approved_by",
            "version",
        ]  # fmt: skip
        read_only_fields = ["id", "region", "version"]


class RoadmapViewSet(ScopedModelViewSet):
    """Дорожные карты региона."""

    selector = staticmethod(selectors.roadmaps_for_list)
    filterset_class = RoadmapFilterSet
    read_serializer_class = RoadmapSerializer
    write_serializer_class = RoadmapSerializer
    scope_action = "roadmap.edit"
    create_service = staticmethod(services.roadmap_create)
    update_service = staticmethod(services.roadmap_update)


# -- directions and measures -------------------------------------------------------------------
class DirectionSerializer(serializers.ModelSerializer):
    measures_count = serializers.IntegerField(
        read_only=True, help_text="Системообразующих мероприятий в направлении"
    )

    class Meta:
        model = Direction
        fields = ["id", "roadmap", "number", "title", "measures_count", "version"]
        read_only_fields = fields


class DirectionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Direction
        fields = ["number", "title"]
        validators = []  # a number taken: the service's Russian message


class DirectionCreateSerializer(DirectionWriteSerializer):
    roadmap = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Roadmap), queryset=Roadmap.objects.all()
    )

    class Meta(DirectionWriteSerializer.Meta):
        fields = ["roadmap", "number", "title"]


class DirectionViewSet(ScopedModelViewSet):
    """Направления дорожных карт; удаляется только направление без системообразующих
    мероприятий."""

    selector = staticmethod(selectors.directions_for_list)
    filterset_class = DirectionFilterSet
    read_serializer_class = DirectionSerializer
    write_serializer_class = DirectionWriteSerializer
    create_serializer_class = DirectionCreateSerializer
    scope_action = "roadmap.edit"
    create_service = staticmethod(services.direction_create)
    update_service = staticmethod(services.direction_update)
    destroy_service = staticmethod(services.direction_delete)


class MeasureSerializer(serializers.ModelSerializer):
    roadmap = serializers.IntegerField(source="direction.roadmap_id", read_only=True)
    activities_count = serializers.IntegerField(
        read_only=True, help_text="Мероприятий дорожной карты в нём"
    )

    class Meta:
        model = Measure
        fields = [
            "id", "roadmap", "direction", "number", "title", "position", "activities_count",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class MeasureWriteSerializer(serializers.ModelSerializer):
    direction = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Direction), queryset=Direction.objects.all()
    )

    class Meta:
        model = Measure
        fields = ["direction", "number", "title"]


class MeasureViewSet(ScopedModelViewSet):
    """Системообразующие мероприятия дорожных карт; переносятся между направлениями одной
    дорожной карты; удаляется только то, к которому не относится ни одно мероприятие."""

    selector = staticmethod(selectors.measures_for_list)
    filterset_class = MeasureFilterSet
    read_serializer_class = MeasureSerializer
    write_serializer_class = MeasureWriteSerializer
    scope_action = "roadmap.edit"
    create_service = staticmethod(services.measure_create)
    update_service = staticmethod(services.measure_update)
    destroy_service = staticmethod(services.measure_delete)


# -- activities --------------------------------------------------------------------------------
class PeriodSerializer(serializers.ModelSerializer):
    status = StatusField(read_only=True)
    state = StateField(read_only=True, help_text="Состояние: просрочено — вычисляется.")

    class Meta:
        model = ActivityPeriod
        fields = [
            "id", "year", "due_on", "status", "state", "done_on", "evidence", "links",
            "reported_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    responsible_kind = ResponsibleKindField(read_only=True)
    deadline_kind = DeadlineKindField(read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True, default=None)
    periods = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id", "roadmap", "measure", "number", "title", "responsible_kind",
            "responsible_municipality", "responsible_organization", "responsible_text",
            "executors", "deadline_kind", "deadline_text", "deadline_dates", "deadline_annual",
            "deadline_from", "deadline_to", "result", "indicator", "indicator_code",
            "target_value", "periods", "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PeriodSerializer(many=True))
    def get_periods(self, activity):
        today = selectors.today()
        rows = sorted(activity.periods.all(), key=lambda p: p.year)
        for row in rows:
            row.state = row.state(today) if callable(row.state) else row.state
        return PeriodSerializer(rows, many=True).data


class ActivityWriteSerializer(serializers.ModelSerializer):
    measure = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Measure),
        queryset=Measure.objects.all(),
        required=False,
        help_text="Системообразующее мероприятие той же дорожной карты (перенос)",
    )
    responsible_kind = ResponsibleKindField(required=False)
    deadline_text = serializers.CharField(required=False, max_length=500)

    class Meta:
        model = Activity
        fields = [
            "measure", "number", "title", "responsible_kind", "responsible_municipality",
            "responsible_organization", "responsible_text", "executors", "deadline_text",
            "result", "indicator", "target_value",
        ]  # fmt: skip
        validators = []  # a number taken: the service's Russian message


class ActivityCreateSerializer(ActivityWriteSerializer):
    measure = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Measure),
        queryset=Measure.objects.all(),
        help_text="Системообразующее мероприятие, в которое входит мероприятие",
    )
    deadline_text = serializers.CharField(max_length=500)


class StatusSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Отчётный период (год)")
    status = StatusField()
    done_on = StrictDateField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    links = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="Версия статуса за период")


class ActivityViewSet(ScopedModelViewSet):
    """Мероприятия дорожных карт с исполнением по отчётным периодам."""

    selector = staticmethod(selectors.activities_for_list)
    filterset_class = ActivityFilterSet
    read_serializer_class = ActivitySerializer
    write_serializer_class = ActivityWriteSerializer
    create_serializer_class = ActivityCreateSerializer
    scope_action = "roadmap.edit"
    create_service = staticmethod(services.activity_create)
    update_service = staticmethod(services.activity_update)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("periods")


class ActivityStatusView(IdLookupMixin, APIView):
    """POST roadmap/activities/{id}/status/ — the status of a year with evidence."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StatusSerializer, responses={200: ActivitySerializer, **STALE})
    def post(self, request, pk):
        """Статус мероприятия за год с подтверждением (текст, ссылки) — ответственный субъект."""
        rows = selectors.activities_for_list(request.user).prefetch_related("periods")
        activity = get_visible_or_404(rows, pk=pk)
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        period = activity.periods.filter(year=data.pop("year")).first()
        if period is None:
            raise NotFound("В этом году у мероприятия нет срока.")
        version = data.pop("version", None)
        with service_errors():
            services.status_set(request.user, period, data, expected_version=version)
        return Response(ActivitySerializer(rows.get(pk=pk)).data)


# -- agreements --------------------------------------------------------------------------------
class AgreementSerializer(serializers.ModelSerializer):
    kind = AgreementKindField()
    signed_on = StrictDateField()
    valid_from = StrictDateField()
    valid_to = StrictDateField(required=False, allow_null=True)
    file = serializers.FileField(read_only=True, use_url=False)

    class Meta:
        model = Agreement
        fields = [
            "id", "region", "kind", "number", "subject", "municipality", "organizations",
            "partner", "signed_on", "valid_from", "valid_to", "file", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "region", "file", "version"]


class AgreementViewSet(ScopedModelViewSet):
    """Соглашения: трёхсторонние, о сотрудничестве, сетевые, с колледжами и вузами."""

    selector = staticmethod(selectors.agreements_for_list)
    filterset_class = AgreementFilterSet
    read_serializer_class = AgreementSerializer
    write_serializer_class = AgreementSerializer
    scope_action = "roadmap.agreements"
    create_service = staticmethod(services.agreement_create)
    update_service = staticmethod(services.agreement_update)


# -- documents ---------------------------------------------------------------------------------
class DocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField()
    level = DocumentLevelField()
    adopted_on = StrictDateField()
    repealed_on = StrictDateField(required=False, allow_null=True)
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "region", "kind", "title", "number", "adopted_on", "repealed_on", "level",
            "municipality", "organization", "published", "current_version", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "region", "current_version", "version"]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_current_version(self, document):
        versions = sorted(document.versions.all(), key=lambda v: (v.dated, v.pk), reverse=True)
        if not versions:
            return None
        v = versions[0]
        return {"id": v.pk, "dated": v.dated.isoformat(), "note": v.note, "file": v.filename}


class DocumentViewSet(ScopedModelViewSet):
    """Реестр документов системы; файлы редакций — на страницах документов."""

    selector = staticmethod(selectors.documents_for_list)
    filterset_class = DocumentFilterSet
    read_serializer_class = DocumentSerializer
    write_serializer_class = DocumentSerializer
    scope_action = "roadmap.documents"
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("versions")


ROUTES = [
    ("roadmap/roadmaps", RoadmapViewSet, "api-roadmap"),
    ("roadmap/directions", DirectionViewSet, "api-roadmap-direction"),
    ("roadmap/measures", MeasureViewSet, "api-roadmap-measure"),
    ("roadmap/activities", ActivityViewSet, "api-roadmap-activity"),
    ("roadmap/agreements", AgreementViewSet, "api-roadmap-agreement"),
    ("roadmap/documents", DocumentViewSet, "api-roadmap-document"),
]
PATHS = [
    path(
        "roadmap/activities/<int:pk>/status/",
        ActivityStatusView.as_view(),
        name="api-roadmap-activity-status",
    ),
]
