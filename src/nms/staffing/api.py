"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns).

- staffing/schedules — staff schedules with their rows; POST …/{id}/rows/ adds a row (with the
  schedule's version); whole schedules come from the import;
- staffing/vacancies — vacancies of the scope's organizations;
- staffing/diplomas — diplomas of the scope's people (a teacher reads their own);
- staffing/specialties — the directory specialty → subjects (written by `staffing.directory`);
- staffing/target-contracts — target training contracts (no student's СНИЛС);
- staffing/pedagogical-classes — psychological-pedagogical classes;
- staffing/import/{kind}/ — POST an XLSX file (multipart field `file`) of a kind of the import
  page (`schedule`, `diplomas`): 200 with the report when saved, 400 with every error when
  rejected (nothing saved), 403 for a role that may not import, 404 for an unknown kind; a file
  over NMS_EXPORT_SYNC_LIMIT rows is imported in the background (202, the job).
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from nms.common.api import (
    ImportFileSerializer,
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.api_imports import ImportReportSerializer, import_response
from nms.common.api_jobs import JobSerializer
from nms.registry.models import Municipality, Organization, Person
from nms.staffing import importers, selectors, services
from nms.staffing.access import EDIT, EDIT_DIRECTORY, EDITORS
from nms.staffing.filters import (
    ClassFilterSet,
    ContractFilterSet,
    DiplomaFilterSet,
    ScheduleFilterSet,
    SpecialtyFilterSet,
    VacancyFilterSet,
)
from nms.staffing.models import (
    ClassProfile,
    ContractStatus,
    Diploma,
    DiplomaLevel,
    PedagogicalClass,
    ScheduleRow,
    Specialty,
    StaffSchedule,
    TargetContract,
    Vacancy,
)


def _enum_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A choice field whose values are one named enum component of the schema."""

    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


LevelField = _enum_field("StaffingDiplomaLevelEnum", DiplomaLevel.choices)
ContractStatusField = _enum_field("TargetContractStatusEnum", ContractStatus.choices)
ClassProfileField = _enum_field("PedagogicalClassProfileEnum", ClassProfile.choices)


def _editable_organizations(scope):
    return scope.restricted_to(EDITORS).organizations()


def _organization_field(**kwargs):
    return ScopedPrimaryKeyField(
        _editable_organizations, queryset=Organization.objects.all(), **kwargs
    )


# -- staff schedules -------------------------------------------------------------------------------
class ScheduleRowSerializer(serializers.ModelSerializer):
    position_name = serializers.CharField(source="position.name", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True, allow_null=True)
    vacant = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = ScheduleRow
        fields = [
            "id", "position", "position_name", "subject", "subject_name", "rates", "filled",
            "vacant",
        ]  # fmt: skip
        read_only_fields = fields


class StaffScheduleSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    school_year = serializers.CharField(read_only=True)
    rows = ScheduleRowSerializer(many=True, read_only=True)

    class Meta:
        model = StaffSchedule
        fields = [
            "id", "organization", "organization_name", "year", "school_year", "approved_on",
            "note", "rows", "version",
        ]  # fmt: skip
        read_only_fields = fields


class StaffScheduleWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organization = _organization_field()

    class Meta:
        model = StaffSchedule
        fields = ["organization", "year", "approved_on", "note"]
        validators = []  # the service checks a second schedule, with a Russian message


class ScheduleRowWriteSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Версия штатного расписания, которую видел клиент."
    )

    class Meta:
        model = ScheduleRow
        fields = ["position", "subject", "rates", "filled", "version"]
        extra_kwargs = {"filled": {"required": False}}
        validators = []  # the service checks a repeated position and subject


class StaffScheduleViewSet(ScopedModelViewSet):
    """Штатные расписания организаций по учебным годам: строки — должность, предмет, ставки по
    штату и занятые (вакантные = по штату − занятые)."""

    selector = staticmethod(selectors.schedules_for_list)
    filterset_class = ScheduleFilterSet
    read_serializer_class = StaffScheduleSerializer
    write_serializer_class = StaffScheduleWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.schedule_create)
    update_service = staticmethod(services.schedule_update)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("rows__position", "rows__subject")
            .order_by("id")
        )

    @extend_schema(request=ScheduleRowWriteSerializer, responses={201: StaffScheduleSerializer})
    @action(detail=True, methods=["post"], url_path="rows")
    def add_row(self, request, pk=None):
        """Строка штатного расписания: должность, предмет, ставки по штату и занятые."""
        schedule = self.get_object()
        serializer = ScheduleRowWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        with service_errors():
            services.row_add(request.user, schedule, data, expected_version=version)
        return self._answer(schedule, status.HTTP_201_CREATED)


# -- vacancies ---------------------------------------------------------------------------------
VACANCY_FIELDS = [
    "organization", "position", "subject", "rates", "load_hours", "requirements", "conditions",
    "published", "opened_on", "closed_on",
]  # fmt: skip


class VacancySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True, allow_null=True)

    class Meta:
        model = Vacancy
        fields = [
            "id", *VACANCY_FIELDS, "organization_name", "position_name", "subject_name",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class VacancyWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organization = _organization_field()

    class Meta:
        model = Vacancy
        fields = VACANCY_FIELDS
        extra_kwargs = {"opened_on": {"required": False}}


class VacancyViewSet(ScopedModelViewSet):
    """Вакансии организаций; опубликованные открытые видны всем в открытом списке вакансий."""

    selector = staticmethod(selectors.vacancies_for_list)
    filterset_class = VacancyFilterSet
    read_serializer_class = VacancySerializer
    write_serializer_class = VacancyWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.vacancy_create)
    update_service = staticmethod(services.vacancy_update)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


# -- specialties and diplomas --------------------------------------------------------------------
class SpecialtySerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialty
        fields = ["id", "code", "name", "is_pedagogical", "subjects", "version"]
        read_only_fields = fields


class SpecialtyWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialty
        fields = ["code", "name", "is_pedagogical", "subjects"]
        extra_kwargs = {"subjects": {"required": False}, "name": {"validators": []}}


class SpecialtyViewSet(ScopedModelViewSet):
    """Справочник специальностей: какие предметы даёт право преподавать специальность."""

    selector = staticmethod(selectors.specialties_for_list)
    filterset_class = SpecialtyFilterSet
    read_serializer_class = SpecialtySerializer
    write_serializer_class = SpecialtyWriteSerializer
    scope_action = EDIT_DIRECTORY
    create_service = staticmethod(services.specialty_create)
    update_service = staticmethod(services.specialty_update)

    def get_queryset(self):
        return super().get_queryset().order_by("name", "id")


class DiplomaSerializer(serializers.ModelSerializer):
    level = LevelField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)

    class Meta:
        model = Diploma
        fields = [
            "id", "person", "person_name", "level", "institution", "year", "specialty",
            "specialty_name", "qualification", "is_pedagogical", "version",
        ]  # fmt: skip
        read_only_fields = fields


class DiplomaWriteSerializer(serializers.ModelSerializer):
    person = ScopedPrimaryKeyField(
        lambda scope: scope.restricted_to(EDITORS).people(),
        queryset=Person.objects.all(),
    )
    level = LevelField()

    class Meta:
        model = Diploma
        fields = [
            "person", "level", "institution", "year", "specialty", "qualification",
            "is_pedagogical",
        ]  # fmt: skip
        validators = []  # the service checks duplicates, with a Russian message


class DiplomaViewSet(ScopedModelViewSet):
    """Дипломы работников: уровень, организация, год, специальность, квалификация."""

    selector = staticmethod(selectors.diplomas_for_list)
    filterset_class = DiplomaFilterSet
    read_serializer_class = DiplomaSerializer
    write_serializer_class = DiplomaWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.diploma_create)
    update_service = staticmethod(services.diploma_update)
    destroy_service = staticmethod(services.diploma_delete)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


# -- target training ---------------------------------------------------------------------------
class TargetContractSerializer(serializers.ModelSerializer):
    status = ContractStatusField(read_only=True)

    class Meta:
        model = TargetContract
        fields = [
            "id", "municipality", "organization", "number", "student_name", "institution",
            "specialty", "signed_on", "study_ends_on", "graduated_on", "status", "person",
            "employment", "employed_on", "version",
        ]  # fmt: skip
        read_only_fields = fields


class TargetContractWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.restricted_to(EDITORS).municipalities(),
        queryset=Municipality.objects.all(),
    )
    organization = _organization_field(required=False, allow_null=True)
    person = ScopedPrimaryKeyField(
        lambda scope: scope.restricted_to(EDITORS).people(),
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Выпускник, принятый на работу: место работы берётся из реестра.",
    )
    status = ContractStatusField(required=False)

    class Meta:
        model = TargetContract
        fields = [
            "municipality", "organization", "number", "student_name", "institution",
            "specialty", "signed_on", "study_ends_on", "graduated_on", "status", "person",
            "employed_on",
        ]  # fmt: skip


class TargetContractViewSet(ScopedModelViewSet):
    """Договоры о целевом обучении: обучающийся (ФИО как сторона договора, без СНИЛС), вуз или
    колледж, специальность, заказчик, сроки, трудоустройство выпускника."""

    selector = staticmethod(selectors.contracts_for_list)
    filterset_class = ContractFilterSet
    read_serializer_class = TargetContractSerializer
    write_serializer_class = TargetContractWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.contract_create)
    update_service = staticmethod(services.contract_update)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


# -- pedagogical classes ---------------------------------------------------------------------------
class PedagogicalClassSerializer(serializers.ModelSerializer):
    profile = ClassProfileField(read_only=True)

    class Meta:
        model = PedagogicalClass
        fields = [
            "id", "organization", "year", "grade", "profile", "pupils", "partner", "version",
        ]  # fmt: skip
        read_only_fields = fields


class PedagogicalClassWriteSerializer(serializers.ModelSerializer):
    organization = _organization_field()
    profile = ClassProfileField(required=False)

    class Meta:
        model = PedagogicalClass
        fields = ["organization", "year", "grade", "profile", "pupils", "partner"]


class PedagogicalClassViewSet(ScopedModelViewSet):
    """Психолого-педагогические (педагогические) классы школ по учебным годам."""

    selector = staticmethod(selectors.classes_for_list)
    filterset_class = ClassFilterSet
    read_serializer_class = PedagogicalClassSerializer
    write_serializer_class = PedagogicalClassWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.class_create)
    update_service = staticmethod(services.class_update)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


# -- imports -----------------------------------------------------------------------------------
class StaffingImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Загрузить штатные расписания или дипломы работников (XLSX)",
        tags=["import"],
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(importers.KIND_LABELS),
                description="; ".join(f"{k} — {v}" for k, v in importers.KIND_LABELS.items()),
            )
        ],
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: ImportReportSerializer,
            202: JobSerializer,
            400: ImportReportSerializer,
        },
    )
    def post(self, request, kind):
        """Загрузить файл по шаблону страницы импорта: всё или ничего — 200 с отчётом, 400 со
        всеми ошибками (строка, столбец, значение, сообщение; ничего не сохранено). Файл больше
        NMS_EXPORT_SYNC_LIMIT строк загружается в фоне: ответ 202 — задача, её ход и отчёт — в
        /api/v1/jobs/{id}/ (адрес в заголовке Location)."""
        if kind not in importers.KIND_LABELS:
            raise NotFound(importers.UNKNOWN_KIND)
        if not importers.can_import(request.user, kind):
            raise PermissionDenied(importers.NO_RIGHTS)
        return import_response(
            request,
            run=lambda upload: importers.run_import(request.user, kind, upload),
            job_kind=f"import_{kind}",
            job_title=importers.job_title(kind, "{name}"),
            job_work=importers.import_job,
            job_params={"kind": kind},
        )


ROUTES = [
    ("staffing/schedules", StaffScheduleViewSet, "api-staffing-schedule"),
    ("staffing/vacancies", VacancyViewSet, "api-staffing-vacancy"),
    ("staffing/diplomas", DiplomaViewSet, "api-staffing-diploma"),
    ("staffing/specialties", SpecialtyViewSet, "api-staffing-specialty"),
    ("staffing/target-contracts", TargetContractViewSet, "api-staffing-target-contract"),
    ("staffing/pedagogical-classes", PedagogicalClassViewSet, "api-staffing-pedagogical-class"),
]
PATHS = [
    path(
        "staffing/import/<slug:kind>/",
        StaffingImportView.as_view(),
        name="api-staffing-import",
    ),
]
