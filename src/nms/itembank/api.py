"""The item bank REST API: competency areas and items, mounted at /api/v1/diagnostics/.

Reads start from `nms.itembank.selectors`, writes go through `nms.itembank.services`; the only
work done here is turning JSON into the services' arguments and their errors into HTTP answers.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from nms.common import concurrency
from nms.common.api import (
    ImportErrorSerializer,
    ImportFileSerializer,
    ScopeAllows,
    ServiceWritesMixin,
    service_errors,
    write_docs,
)
from nms.common.api_imports import import_response
from nms.common.api_jobs import JobSerializer
from nms.itembank import importers, selectors, services
from nms.itembank.filters import ItemFilterSet
from nms.itembank.models import CompetencyArea, Item, ReviewStatus, SubCompetency

# Writes only for roles that edit the bank at all; whether this item may be changed is decided
# by the service.
EDIT_BANK = ScopeAllows("itembank.edit", services.NO_RIGHTS)


# -- competency areas and the item bank --------------------------------------------------------
class BankImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="добавлено заданий (строк файла)")
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    summary = serializers.CharField()


class SubCompetencySerializer(serializers.ModelSerializer):
    class Meta:
        model = SubCompetency
        fields = ["id", "name"]


class CompetencyAreaSerializer(serializers.ModelSerializer):
    subcompetencies = SubCompetencySerializer(many=True, read_only=True)

    class Meta:
        model = CompetencyArea
        fields = ["id", "code", "name", "is_subject", "for_managers", "order", "subcompetencies"]


class ItemSerializer(serializers.ModelSerializer):
    """An item of the bank with its options and answer key (see nms.itembank.scoring)."""

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "area",
            "subcompetency",
            "subject",
            "kind",
            "difficulty",
            "text",
            "options",
            "key",
            "points",
            "status",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ItemWriteSerializer(serializers.ModelSerializer):
    """Options and key as on the bank's page; the answer shows them as stored (ItemSerializer)."""

    options = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="По одному варианту на строке; для соответствия — левый столбец.",
    )
    options_right = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Только для соответствия: правый столбец, по одному на строке.",
    )
    key = serializers.CharField(
        help_text="Номера считаются от 1. "
        + "; ".join(f"{kind.label}: {hint}" for kind, hint in services.KEY_HINTS.items())
    )

    class Meta:
        model = Item
        fields = [
            "code",
            "area",
            "subcompetency",
            "subject",
            "kind",
            "difficulty",
            "text",
            "options",
            "options_right",
            "key",
            "points",
        ]
        # The service checks the code and its uniqueness, with its own messages.
        extra_kwargs = {"code": {"validators": []}}


class ItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, label="Статус экспертизы")


def _item_form(item: Item) -> dict:
    """The item's values as the bank services take them, for a partial update."""
    options, options_right = services.format_options(item.kind, item.options)
    return {
        "code": item.code,
        "area": item.area,
        "subcompetency": item.subcompetency,
        "subject": item.subject,
        "kind": item.kind,
        "difficulty": item.difficulty,
        "text": item.text,
        "options": options,
        "options_right": options_right,
        "key": services.format_key(item.kind, item.key),
        "points": item.points,
    }


class CompetencyAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Области профессиональных компетенций и входящие в них компетенции."""

    serializer_class = CompetencyAreaSerializer
    queryset = CompetencyArea.objects.prefetch_related("subcompetencies")


@write_docs(ItemSerializer, ItemWriteSerializer)
class ItemViewSet(
    ServiceWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Банк заданий с ключами: только для его авторов и экспертов (остальным — пустой список).

    Новое задание — черновик; изменение утверждённого задания возвращает его на экспертизу."""

    permission_classes = [EDIT_BANK]
    filterset_class = ItemFilterSet
    read_serializer_class = ItemSerializer
    write_serializer_class = ItemWriteSerializer

    def get_queryset(self):
        return selectors.items_visible(self.request.user)

    def perform_service_create(self, data):
        with service_errors():
            return services.item_create(self.request.user, data)

    def perform_service_update(self, instance, data):
        with service_errors():
            # `instance` is the copy the client's version names: a change since is 409.
            return services.item_update(
                self.request.user,
                instance,
                {**_item_form(instance), **data},
                expected_version=self.expected_version,
            )

    @extend_schema(request=ItemStatusSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def status(self, request, pk=None):
        """Перевести задание по ходу экспертизы (авторы и эксперты банка)."""
        item = self.get_object()
        version = concurrency.expected_version(request, item)
        serializer = ItemStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        status_ = serializer.validated_data["status"]
        with service_errors():
            item = services.item_set_status(request.user, item, status_, version)
        return self._answer(item)

    @extend_schema(
        summary="Загрузить задания в банк (XLSX)",
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: BankImportReportSerializer,
            202: JobSerializer,
            400: BankImportReportSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def bank_import(self, request):
        """Создать или обновить задания по шифру из XLSX (файл в поле file): 200 — отчёт, 400 —
        все ошибки (ничего не сохранено). Файл больше NMS_EXPORT_SYNC_LIMIT строк загружается в
        фоне: 202 — задача, её ход и отчёт — в /api/v1/jobs/{id}/ (адрес в заголовке Location)."""
        return import_response(
            request,
            run=lambda upload: importers.bank_import(request.user, upload),
            job_kind=f"import_{importers.KIND}",
            job_title="Импорт: задания банка из файла «{name}»",
            job_work=importers.import_job,
            job_params={"kind": importers.KIND},
            report_class=importers.BankImportReport,
            before_job=lambda: services.check_edit(request.user),
        )
