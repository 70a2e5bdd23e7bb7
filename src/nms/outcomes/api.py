"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

- outcomes/results — the students' results the user may see (read; filters as on the page);
- outcomes/results/import/ — POST an XLSX file (multipart field `file`): 200 with the report
  when saved, 400 with every error when rejected (nothing saved), 403 for a role that may not
  import; a file over NMS_EXPORT_SYNC_LIMIT rows is imported in the background (202, the job);
- outcomes/dynamics/?year=2025&rise=0 — the completed routes of the year the user may see, with
  the verdict of «положительная динамика» (nms.outcomes.dynamics) and the G4 figures.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.accounts.scope import scope_of
from nms.common.api import (
    ImportFileSerializer,
    ScopedModelViewSet,
)
from nms.common.api_imports import ImportReportSerializer, import_response
from nms.outcomes import importers, selectors
from nms.outcomes.access import VIEW
from nms.outcomes.filters import StudentResultFilterSet
from nms.outcomes.models import ResultKind, StudentResult


@extend_schema_field(
    serializers.ChoiceField(choices=ResultKind.choices), component_name="StudentResultKindEnum"
)
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ResultKind.choices, **kwargs)


class StudentResultSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    school_year_label = serializers.CharField(read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    teacher_name = serializers.CharField(source="teacher.full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)

    class Meta:
        model = StudentResult
        fields = [
            "id", "kind", "kind_label", "school_year", "school_year_label", "subject",
            "subject_name", "group_label", "teacher", "teacher_name", "organization",
            "organization_name", "participants", "average_score", "share_passing",
            "share_below", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class StudentResultViewSet(ScopedModelViewSet):
    """Результаты обучающихся по учителю, классу (группе), предмету и году — в пределах области
    доступа пользователя. Загрузка — POST outcomes/results/import/."""

    selector = staticmethod(selectors.results_for_list)
    filterset_class = StudentResultFilterSet
    read_serializer_class = StudentResultSerializer

    def get_queryset(self):
        if not scope_of(self.request.user).can(VIEW):
            return StudentResult.objects.none()
        return super().get_queryset()


# -- import --------------------------------------------------------------------------------------
class ResultsImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Загрузить результаты обучающихся (XLSX)",
        tags=["import"],
        request={"multipart/form-data": ImportFileSerializer},
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )
    def post(self, request):
        if not importers.can_import(request.user):
            raise PermissionDenied(importers.NO_RIGHTS)
        from nms.outcomes.views import import_job

        return import_response(
            request,
            run=lambda upload: importers.import_results(request.user, upload),
            job_kind=f"import_{importers.KIND}",
            job_title="Импорт: результаты обучающихся из файла «{name}»",
            job_work=import_job,
            job_params={"kind": importers.KIND},
        )


# -- dynamics ------------------------------------------------------------------------------------
class OutcomesComparisonSerializer(serializers.Serializer):
    kind = KindField()
    subject = serializers.CharField()
    measure = serializers.CharField()
    before_share_passing = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="before.passing"
    )
    after_share_passing = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="after.passing"
    )
    before_average = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="before.average"
    )
    after_average = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="after.average"
    )
    before_share_below = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="before.below"
    )
    after_share_below = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, source="after.below"
    )
    positive = serializers.BooleanField()


class OutcomesDynamicsRowSerializer(serializers.Serializer):
    route = serializers.IntegerField(source="route.pk")
    person = serializers.IntegerField(source="route.person_id")
    person_name = serializers.CharField(source="route.person.full_name")
    starts_on = serializers.DateField(source="route.starts_on")
    ends_on = serializers.DateField(source="route.ends_on")
    year_before = serializers.IntegerField(source="verdict.year_before")
    year_after = serializers.IntegerField(source="verdict.year_after")
    positive = serializers.BooleanField(source="verdict.positive", allow_null=True)
    comparisons = OutcomesComparisonSerializer(many=True, source="verdict.comparisons")


class OutcomesDynamicsSummarySerializer(serializers.Serializer):
    routes = serializers.IntegerField()
    judged = serializers.IntegerField()
    positive = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class OutcomesDynamicsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rise = serializers.DecimalField(max_digits=5, decimal_places=2)
    summary = OutcomesDynamicsSummarySerializer()
    rows = OutcomesDynamicsRowSerializer(many=True)


class DynamicsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Динамика результатов обучающихся после завершённых ИОМ (G4)",
        parameters=[
            OpenApiParameter("year", int, description="год завершения ИОМ"),
            OpenApiParameter("rise", float, description="минимальный рост, п. п. (0)"),
        ],
        responses=OutcomesDynamicsSerializer,
    )
    def get(self, request):
        if not scope_of(request.user).can(VIEW):
            raise PermissionDenied("У вас нет прав на это действие.")
        try:
            year = int(request.query_params.get("year") or date.today().year)
            rise = Decimal(request.query_params.get("rise") or "0")
        except (ValueError, InvalidOperation):
            return Response(
                {"detail": "year — год (число), rise — число."}, status=status.HTTP_400_BAD_REQUEST
            )
        if not 2000 <= year <= 2100 or not rise.is_finite() or not -100 <= rise <= 100:
            return Response(
                {"detail": "year — от 2000 до 2100, rise — от -100 до 100."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        rows = selectors.dynamics_rows(request.user, date(year, 1, 1), date(year, 12, 31), rise)
        data = {
            "year": year,
            "rise": rise,
            "summary": selectors.dynamics_summary(rows),
            "rows": rows,
        }
        return Response(OutcomesDynamicsSerializer(data).data)


ROUTES = [("outcomes/results", StudentResultViewSet, "api-outcomes-result")]
PATHS = [
    path(
        "outcomes/results/import/",
        ResultsImportView.as_view(),
        name="api-outcomes-results-import",
    ),
    path("outcomes/dynamics/", DynamicsView.as_view(), name="api-outcomes-dynamics"),
]
