"""The diagnostics REST API: procedures, attempts, results and the results import; thin serializers
and viewsets, mounted at /api/v1/diagnostics/.

Reads start from `nms.diagnostics.selectors`, writes go through `nms.diagnostics.services`; the only
work done here is turning JSON into the services' arguments and their errors into HTTP answers
(Django's ValidationError → 400, PermissionDenied → 403, an object outside the scope → 404).
"""

import django_filters as df
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.common.api import (
    ImportErrorSerializer,
    ImportFileSerializer,
    ScopeAllows,
    ScopedPrimaryKeyField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.api_imports import import_response
from nms.common.api_jobs import JobSerializer
from nms.common.filters import IdFilter, YesNoFilter
from nms.diagnostics import importers, selectors, services
from nms.diagnostics.models import (
    AreaScore,
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Group,
    Procedure,
    Result,
)
from nms.diagnostics.variants import overlap_report
from nms.itembank.models import ItemKind
from nms.registry.models import Municipality, Organization, Position, Subject

PROCEDURE_FIELDS = [
    "name",
    "level",
    "kind",
    "municipality",
    "starts_on",
    "ends_on",
    "threshold",
    "time_limit_minutes",
    "seed",
    "is_external",
]


# Writes only for roles that run diagnostics at all; whether this procedure may be changed is
# decided by the service.
MANAGE = ScopeAllows("diagnostics.manage", services.NO_RIGHTS)


# -- procedures, groups, variants --------------------------------------------------------------
class BlueprintRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = BlueprintRow
        fields = ["area", "easy", "medium", "hard"]


class ProcedureSerializer(serializers.ModelSerializer):
    group_count = serializers.IntegerField(read_only=True)
    blueprint = BlueprintRowSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = ["id", *PROCEDURE_FIELDS, "created_at", "version", "group_count", "blueprint"]
        read_only_fields = fields


class ProcedureCreateSerializer(StrictDatesMixin, serializers.ModelSerializer):
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        label="Муниципалитет",
    )
    blueprint = BlueprintRowSerializer(
        many=True,
        required=False,
        label="Спецификация",
        help_text="Сколько заданий каждой области и уровня сложности в варианте.",
    )

    class Meta:
        model = Procedure
        fields = [*PROCEDURE_FIELDS, "blueprint"]
        validators = []

    def validate_blueprint(self, rows):
        areas = [row["area"] for row in rows]
        if len(set(areas)) != len(areas):
            raise serializers.ValidationError("Каждая область указывается один раз.")
        return rows


class GroupSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(
        read_only=True, help_text="Участники в области доступа пользователя."
    )
    item_count = serializers.IntegerField(read_only=True, help_text="Заданий в варианте группы.")

    class Meta:
        model = Group
        fields = ["id", "number", "name", "criteria", "subject", "member_count", "item_count"]
        read_only_fields = fields


class GroupCreateSerializer(serializers.Serializer):
    """A group takes everyone in the user's scope matching all the given conditions."""

    name = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        label="Муниципалитет",
    )
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        label="Организация",
    )
    subject = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(),
        required=False,
        label="Предмет",
        help_text="Также предмет заданий предметной области.",
    )
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), required=False, label="Должность"
    )
    young = serializers.BooleanField(required=False, allow_null=True, label="Молодые педагоги")
    manager = serializers.BooleanField(required=False, allow_null=True, label="Руководители")


class OverlapPairSerializer(serializers.Serializer):
    a = serializers.CharField(help_text="Группа")
    b = serializers.CharField(help_text="Другая группа")
    common = serializers.IntegerField(help_text="Общих заданий")
    share = serializers.FloatField(help_text="Доля общих заданий от меньшего варианта, %")


class OverlapReportSerializer(serializers.Serializer):
    pairs = OverlapPairSerializer(many=True)
    max_share = serializers.FloatField()


# -- testing -----------------------------------------------------------------------------------
class AttemptSerializer(serializers.ModelSerializer):
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    seconds_left = serializers.SerializerMethodField(
        help_text="Секунд до окончания времени; пусто, если время не ограничено."
    )

    class Meta:
        model = Attempt
        fields = [
            "id",
            "procedure",
            "procedure_name",
            "status",
            "started_at",
            "deadline",
            "finished_at",
            "seconds_left",
        ]
        read_only_fields = fields

    def get_seconds_left(self, attempt) -> int | None:
        if attempt.deadline is None:
            return None
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return 0
        return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


class QuestionSerializer(serializers.Serializer):
    """An item of the variant as the test-taker sees it — never its key — and the saved response."""

    # Serializes {"row": VariantItem, "answer": Answer or None}.

    position = serializers.IntegerField(source="row.position")
    item = serializers.IntegerField(source="row.item_id")
    area = serializers.CharField(source="row.item.area.name")
    kind = serializers.ChoiceField(source="row.item.kind", choices=ItemKind.choices)
    text = serializers.CharField(source="row.item.text")
    options = serializers.JSONField(source="row.item.options")
    points = serializers.IntegerField(source="row.item.points")
    response = serializers.JSONField(source="answer.response", allow_null=True)


class AttemptDetailSerializer(AttemptSerializer):
    questions = serializers.SerializerMethodField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "questions"]
        read_only_fields = fields

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, attempt):
        pairs = selectors.attempt_questions(attempt)
        rows = [{"row": row, "answer": answer} for row, answer in pairs]
        return QuestionSerializer(rows, many=True).data


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(label="Задание (id)")
    response = serializers.JSONField(
        allow_null=True, label="Ответ", help_text="Форма ответа зависит от типа задания."
    )


# -- results -----------------------------------------------------------------------------------
class AreaScoreSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = AreaScore
        fields = ["area", "area_name", "score", "max_score", "share", "is_deficit"]
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    area_scores = AreaScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "person",
            "person_name",
            "procedure",
            "procedure_name",
            "taken_on",
            "source",
            "share",
            "has_deficit",
            "area_scores",
        ]
        read_only_fields = fields


def _procedures(request):
    if request is None:
        return Procedure.objects.none()
    return selectors.procedures_visible(request.user)


class ResultFilterSet(df.FilterSet):
    person = IdFilter(field_name="person_id", label="Работник (id)")
    procedure = df.ModelChoiceFilter(label="Диагностика", queryset=_procedures)
    has_deficit = YesNoFilter(label="Есть дефицит")

    class Meta:
        model = Result
        fields = []


def results_for_list(user):
    return (
        selectors.results_visible(user)
        .select_related("person", "procedure")
        .prefetch_related(Prefetch("area_scores", AreaScore.objects.select_related("area")))
    )


# -- viewsets ----------------------------------------------------------------------------------
@extend_schema_view(
    create=extend_schema(request=ProcedureCreateSerializer, responses={201: ProcedureSerializer})
)
class ProcedureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Диагностические процедуры в области доступа пользователя, их группы и варианты."""

    permission_classes = [MANAGE]
    serializer_class = ProcedureSerializer

    def get_queryset(self):
        if self.action == "start":  # a teacher starts a procedure they are in a group of
            return selectors.my_procedures(self.request.user)
        return selectors.procedures_for_list(self.request.user).prefetch_related("blueprint")

    def get_serializer_class(self):
        return ProcedureCreateSerializer if self.action == "create" else ProcedureSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        blueprint = data.pop("blueprint", [])
        with service_errors():
            procedure = services.procedure_create(request.user, data, blueprint)
        instance = self.get_queryset().get(pk=procedure.pk)
        return Response(ProcedureSerializer(instance).data, status=status.HTTP_201_CREATED)

    def _groups(self, procedure):
        return selectors.procedure_groups(self.request.user, procedure)

    @extend_schema(methods=["GET"], responses=GroupSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=GroupCreateSerializer, responses={201: GroupSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def groups(self, request, pk=None):
        """Группы процедуры; POST — новая группа по условиям отбора из реестра."""
        procedure = self.get_object()
        if request.method == "GET":
            return Response(GroupSerializer(self._groups(procedure), many=True).data)
        serializer = GroupCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        criteria = dict(serializer.validated_data)
        name = criteria.pop("name")
        with service_errors():
            group = services.group_create(request.user, procedure, name, criteria)
        return Response(
            GroupSerializer(self._groups(procedure).get(pk=group.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=OverlapReportSerializer)
    @action(detail=True, methods=["post"])
    def assemble(self, request, pk=None):
        """Собрать варианты всех групп по спецификации; ответ — пересечение вариантов."""
        with service_errors():
            report = services.variants_assemble(request.user, self.get_object())
        return Response(OverlapReportSerializer(report).data)

    @extend_schema(responses=OverlapReportSerializer)
    @action(detail=True, methods=["get"])
    def overlap(self, request, pk=None):
        """Общие задания каждой пары вариантов процедуры."""
        return Response(OverlapReportSerializer(overlap_report(self.get_object())).data)

    @extend_schema(request=None, responses=AttemptDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def start(self, request, pk=None):
        """Начать (или продолжить) своё тестирование по этой процедуре."""
        with service_errors():
            attempt = services.attempt_start(request.user, self.get_object())
        return Response(AttemptDetailSerializer(attempt).data)


class AttemptViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Своё тестирование: задания варианта без ключей, сохранение ответов, завершение."""

    serializer_class = AttemptDetailSerializer
    queryset = Attempt.objects.none()  # the schema's model; objects come through get_object

    def get_object(self):
        return selectors.own_attempt_get(self.request.user, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        attempt = services.expire_if_due(self.get_object())
        return Response(AttemptDetailSerializer(attempt).data)

    @extend_schema(request=AnswerSerializer, responses=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Сохранить ответ на одно задание (до окончания времени и до завершения)."""
        attempt = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item, response = serializer.validated_data["item"], serializer.validated_data["response"]
        with service_errors():
            answer = services.answer_save(request.user, attempt, item, response)
        return Response(
            AnswerSerializer({"item": answer.item_id, "response": answer.response}).data
        )

    @extend_schema(request=None, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Завершить тестирование; ответ — результат по областям с дефицитами."""
        with service_errors():
            result = services.attempt_submit(request.user, self.get_object())
        return Response(ResultSerializer(results_for_list(request.user).get(pk=result.pk)).data)


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Результаты диагностики работников в области доступа, с баллами по областям."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet

    def get_queryset(self):
        return results_for_list(self.request.user)


# -- the results import ------------------------------------------------------------------------
# POST import/ takes an XLSX file (multipart field `file`): 200 with the report when saved, 400
# with every error when rejected (nothing saved); a file of more than NMS_EXPORT_SYNC_LIMIT rows
# is imported in the background: 202 with the job (its report, when done, at /api/v1/jobs/{id}/).
class ResultsImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="добавлено баллов (строк файла)")
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    procedures_created = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    summary = serializers.CharField()


class ResultsImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Загрузить результаты внешней диагностики (XLSX)",
        tags=["diagnostics"],
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: ResultsImportReportSerializer,
            202: JobSerializer,
            400: ResultsImportReportSerializer,
        },
    )
    def post(self, request):
        """Загрузить результаты; файл больше NMS_EXPORT_SYNC_LIMIT строк загружается в фоне:
        ответ 202 — задача, её ход и отчёт — в /api/v1/jobs/{id}/ (адрес в заголовке Location)."""
        return import_response(
            request,
            run=lambda upload: importers.import_results(request.user, upload),
            job_kind=f"import_{importers.KIND}",
            job_title="Импорт: результаты диагностики из файла «{name}»",
            job_work=importers.import_job,
            job_params={"kind": importers.KIND},
            report_class=importers.ResultsImportReport,
            before_job=lambda: _require_import(request.user),
        )


def _require_import(user) -> None:
    if not importers.can_import(user):
        raise PermissionDenied(services.NO_RIGHTS)
