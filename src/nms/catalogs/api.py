"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns).

- catalogs/practices, catalogs/materials — the items the scope shows (published ones to every
  signed-in user); POST creates a draft, PATCH changes a draft; the workflow as POST actions on
  an item: submit/, assign/ (the ЦНППМ: `experts`), publish/, revise/, reject/ (the ЦНППМ, with
  a `comment`), replications/ (a published practice taken up);
- catalogs/reviews — reviews the scope shows (an expert: their own); POST — an assigned
  expert's review of an item under review (`item`, `scores` by criterion id, `verdict`).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from nms.accounts.scope import scope_of
from nms.catalogs import selectors, services
from nms.catalogs.filters import MaterialFilterSet, PracticeFilterSet
from nms.catalogs.models import (
    Item,
    ItemKind,
    ItemLevel,
    ItemStatus,
    MaterialKind,
    Replication,
    Review,
    Verdict,
)
from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    service_errors,
)
from nms.common.concurrency import ConflictSerializer
from nms.events.models import Event
from nms.itembank.models import CompetencyArea
from nms.registry.models import Municipality, Organization, Person, Subject

STALE = {409: ConflictSerializer}


def _enum_field(component: str, choices, blank=False) -> type[serializers.ChoiceField]:
    @extend_schema_field(
        serializers.ChoiceField(choices=choices, allow_blank=blank), component_name=component
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


KindField = _enum_field("CatalogItemKindEnum", ItemKind.choices)
LevelField = _enum_field("CatalogItemLevelEnum", ItemLevel.choices)
StatusField = _enum_field("CatalogItemStatusEnum", ItemStatus.choices)
# A practice has no material kind: "" is among the values.
MaterialKindField = _enum_field("CatalogMaterialKindEnum", MaterialKind.choices, blank=True)
VerdictField = _enum_field("CatalogReviewVerdictEnum", Verdict.choices)


class CatalogAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")


class CatalogItemSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    level = LevelField(read_only=True)
    status = StatusField(read_only=True)
    material_kind = MaterialKindField(read_only=True)
    organization_name = serializers.SerializerMethodField()
    authors = CatalogAuthorSerializer(source="authorships", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id", "kind", "title", "description", "organization", "organization_name",
            "authors", "coauthors", "level", "areas", "subjects", "tags", "links", "direction",
            "event", "material_kind", "audience", "status", "round", "submitted_on",
            "published_on", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_organization_name(self, item) -> str:
        return item.organization.short_name if item.organization_id else ""


class CatalogItemWriteSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )
    authors = ScopedPrimaryKeyField(
        lambda scope: scope.people(),
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text="Соавторы из реестра (вы сами добавляетесь автором).",
    )
    level = LevelField()
    material_kind = MaterialKindField(required=False, allow_blank=True)
    areas = serializers.PrimaryKeyRelatedField(
        queryset=CompetencyArea.objects.all(), many=True, required=False
    )
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, required=False
    )
    tags = serializers.CharField(required=False, allow_blank=True, help_text="через запятую")
    event = ScopedPrimaryKeyField(
        lambda scope: Event.objects.filter(region_id__in=scope.region_ids or [0]),
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Item
        fields = [
            "title", "description", "organization", "authors", "coauthors", "level", "areas",
            "subjects", "tags", "links", "direction", "event", "material_kind", "audience",
        ]  # fmt: skip


class CatalogCommentSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class CatalogAssignSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    experts = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)


class CatalogReplicationSerializer(serializers.ModelSerializer):
    level = LevelField()
    replicated_on = StrictDateField(required=False)
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Replication
        fields = ["id", "item", "organization", "municipality", "level", "replicated_on", "note"]
        read_only_fields = ["id", "item"]


class _ItemViewSet(ScopedModelViewSet):
    read_serializer_class = CatalogItemSerializer
    write_serializer_class = CatalogItemWriteSerializer
    update_service = staticmethod(services.item_update)

    def get_serializer_class(self):
        if self.action == "submit" or self.action in ("publish", "revise", "reject"):
            return CatalogCommentSerializer
        if self.action == "assign":
            return CatalogAssignSerializer
        if self.action == "replications":
            return CatalogReplicationSerializer
        return super().get_serializer_class()

    def _version(self, request, item):
        serializer = CatalogCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        request=CatalogCommentSerializer, responses={200: CatalogItemSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Автор подаёт черновик (доработанную работу) на экспертизу."""
        item = self.get_object()
        data = self._version(request, item)
        with service_errors():
            services.submit(
                request.user,
                item,
                expected_version=data.get("version"),
                comment=data.get("comment", ""),
            )
        return self._answer(item)

    @extend_schema(request=CatalogAssignSerializer, responses={200: CatalogItemSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """ЦНППМ назначает экспертов (не авторов работы) — работа на экспертизе."""
        item = self.get_object()
        serializer = CatalogAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["experts"]
        experts = list(Person.objects.filter(pk__in=ids))
        if len(experts) != len(set(ids)):
            raise serializers.ValidationError({"experts": ["Эксперт не найден."]})
        with service_errors():
            services.assign_experts(
                request.user,
                item,
                experts,
                expected_version=serializer.validated_data.get("version"),
            )
        return self._answer(item)

    def _decide(self, request, decision):
        item = self.get_object()
        data = self._version(request, item)
        with service_errors():
            services.decide(
                request.user,
                item,
                decision,
                comment=data.get("comment", ""),
                expected_version=data.get("version"),
            )
        return self._answer(item)

    @extend_schema(
        request=CatalogCommentSerializer, responses={200: CatalogItemSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Опубликовать: не меньше NMS_PRACTICE_REVIEWS заключений раунда, большинство из них —
        «опубликовать»."""
        return self._decide(request, "publish")

    @extend_schema(
        request=CatalogCommentSerializer, responses={200: CatalogItemSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Вернуть автору на доработку (с комментарием)."""
        return self._decide(request, "revise")

    @extend_schema(
        request=CatalogCommentSerializer, responses={200: CatalogItemSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Отклонить (с комментарием)."""
        return self._decide(request, "reject")


class PracticeViewSet(_ItemViewSet):
    """Эффективные практики: черновик → подана → на экспертизе → опубликована / на доработке /
    отклонена."""

    selector = staticmethod(selectors.practices_for_list)
    filterset_class = PracticeFilterSet
    create_service = staticmethod(services.practice_create)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags", "areas", "subjects").order_by("-id")

    @extend_schema(
        request=CatalogReplicationSerializer, responses={201: CatalogReplicationSerializer}
    )
    @action(detail=True, methods=["post"])
    def replications(self, request, pk=None):
        """Отметить тиражирование опубликованной практики (организация или муниципалитет)."""
        item = self.get_object()
        serializer = CatalogReplicationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with service_errors():
            made = services.replication_add(request.user, item, serializer.validated_data)
        return Response(CatalogReplicationSerializer(made).data, status=status.HTTP_201_CREATED)


class MaterialViewSet(_ItemViewSet):
    """Аннотированный каталог методических материалов (та же экспертиза, что у практик)."""

    selector = staticmethod(selectors.materials_for_list)
    filterset_class = MaterialFilterSet
    create_service = staticmethod(services.material_create)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags", "areas", "subjects").order_by("-id")


class CatalogReviewSerializer(serializers.ModelSerializer):
    verdict = VerdictField(read_only=True)
    expert_name = serializers.CharField(source="expert.full_name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "item", "expert", "expert_name", "round", "scores", "total", "max_total",
            "verdict", "comment", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class CatalogReviewCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text="{id критерия: балл}"
    )
    verdict = VerdictField()
    comment = serializers.CharField(required=False, allow_blank=True)


class ReviewViewSet(ScopedModelViewSet):
    """Экспертные заключения: эксперт видит только свои; POST — заключение назначенного
    эксперта по работе на экспертизе."""

    model = Review
    read_serializer_class = CatalogReviewSerializer
    write_serializer_class = CatalogReviewCreateSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("expert").order_by("-id")

    def get_serializer_class(self):
        if self.action == "create":
            return CatalogReviewCreateSerializer
        return CatalogReviewSerializer

    @extend_schema(request=CatalogReviewCreateSerializer, responses={201: CatalogReviewSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CatalogReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = scope_of(request.user).visible(Item).filter(pk=data.pop("item")).first()
        if item is None:
            raise serializers.ValidationError({"item": ["Работа не найдена."]})
        assignment = services.open_assignment(request.user, item)
        if assignment is None:
            raise serializers.ValidationError(
                {"item": ["Вы не назначены экспертом этой работы или заключение уже написано."]}
            )
        with service_errors():
            review = services.review_write(request.user, assignment, data)
        return self._answer(review, status.HTTP_201_CREATED)

    def perform_service_create(self, data):  # `create` above does the work
        raise NotImplementedError


ROUTES = [
    ("catalogs/practices", PracticeViewSet, "api-catalog-practice"),
    ("catalogs/materials", MaterialViewSet, "api-catalog-material"),
    ("catalogs/reviews", ReviewViewSet, "api-catalog-review"),
]
PATHS = []
