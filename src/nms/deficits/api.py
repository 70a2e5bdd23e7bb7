"""Deficit maps and groups with similar deficits over the API, mounted at /api/v1/diagnostics/.

GET maps/ and clusters/ take the page filters as query parameters and count only the people in the
caller's scope. The work is in `nms.deficits.maps`.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.common import aggregates
from nms.common.api import StrictDateField
from nms.deficits import maps
from nms.deficits.views import MapFilterForm
from nms.diagnostics.models import ProcedureKind

FILTER_PARAMETERS = [
    OpenApiParameter("municipality", OpenApiTypes.INT, description="id муниципалитета"),
    OpenApiParameter("organization", OpenApiTypes.INT, description="id организации"),
    OpenApiParameter("subject", OpenApiTypes.INT, description="id предмета"),
    OpenApiParameter(
        "procedure",
        OpenApiTypes.INT,
        description="id процедуры; без него — последний результат каждого работника",
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=ProcedureKind.values),
]


def _filters(request, with_breakdown: bool = True) -> maps.MapFilters:
    """The filters from the query string; the numbers are over the caller's scope only."""
    form = MapFilterForm(request.query_params, user=request.user, with_breakdown=with_breakdown)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form.filters()


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CellSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="работников с баллом в области")
    deficit = serializers.IntegerField(help_text="из них с дефицитом")
    share = serializers.FloatField(help_text="доля с дефицитом, %")


class RowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="id муниципалитета, организации…")
    label = serializers.CharField()
    note = serializers.CharField()
    people = serializers.IntegerField(help_text="диагностировано")
    with_deficit = serializers.IntegerField(help_text="с дефицитом хотя бы в одной области")
    share = serializers.FloatField(allow_null=True)
    cells = serializers.ListField(
        child=CellSerializer(allow_null=True), help_text="по порядку областей areas; null — нет"
    )


class DeficitMapSerializer(serializers.Serializer):
    breakdown = serializers.ChoiceField(choices=list(maps.BREAKDOWNS))
    areas = AreaSerializer(many=True)
    rows = RowSerializer(many=True)
    total = RowSerializer()
    computed_at = serializers.DateTimeField(
        help_text="когда посчитана: карта хранится NMS_AGGREGATE_SECONDS секунд"
    )


class ProfileSerializer(serializers.Serializer):
    profile = serializers.CharField(source="codes", help_text="коды областей через запятую")
    areas = AreaSerializer(many=True)
    people = serializers.IntegerField()


class ClusterSerializer(ProfileSerializer):
    similar = ProfileSerializer(many=True, help_text="наборы, отличающиеся на одну область")
    with_similar = serializers.IntegerField()


class ClustersSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    without_deficit = serializers.IntegerField()
    clusters = ClusterSerializer(source="profiles", many=True)


class DeficitMapView(APIView):
    @extend_schema(
        summary="Карта дефицитов",
        tags=["diagnostics"],
        parameters=[
            OpenApiParameter("breakdown", OpenApiTypes.STR, enum=list(maps.BREAKDOWNS)),
            *FILTER_PARAMETERS,
            OpenApiParameter(
                "refresh", OpenApiTypes.STR, enum=["1"], description="1 — пересчитать сейчас"
            ),
        ],
        responses=DeficitMapSerializer,
    )
    def get(self, request):
        deficit_map = maps.deficit_map(
            request.user, _filters(request), refresh=aggregates.wants_refresh(request)
        )
        return Response(DeficitMapSerializer(deficit_map).data)


class ClustersView(APIView):
    @extend_schema(
        summary="Группы со схожими дефицитами",
        description="Работники, сгруппированные по набору областей с дефицитом в последнем "
        "результате; крупные группы первыми.",
        tags=["diagnostics"],
        parameters=FILTER_PARAMETERS,
        responses=ClustersSerializer,
    )
    def get(self, request):
        profiles = maps.deficit_profiles(request.user, _filters(request, with_breakdown=False))
        return Response(ClustersSerializer(profiles).data)


class MemberSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    full_name = serializers.CharField(source="person.full_name")
    email = serializers.CharField(source="person.email")
    organizations = serializers.SerializerMethodField()
    procedure = serializers.CharField(source="procedure.name")
    taken_on = StrictDateField()
    deficits = serializers.SerializerMethodField()

    def get_organizations(self, result) -> list[str]:
        return [e.organization.short_name for e in result.person.employments.all()]

    def get_deficits(self, result) -> list[str]:
        return [s.area.code for s in result.deficits]


class ClusterMembersView(ListAPIView):
    serializer_class = MemberSerializer
    filter_backends = []

    @extend_schema(
        summary="Работники группы со схожими дефицитами",
        tags=["diagnostics"],
        parameters=[
            OpenApiParameter(
                "profile",
                OpenApiTypes.STR,
                required=True,
                description="коды областей через запятую",
            ),
            OpenApiParameter("similar", OpenApiTypes.BOOL, description="и отличающиеся на одну"),
            OpenApiParameter("q", OpenApiTypes.STR, description="поиск по ФИО и СНИЛС"),
            *FILTER_PARAMETERS,
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        areas = maps.parse_profile(self.request.query_params.get("profile", ""))
        if areas is None:
            raise Http404("Неизвестный набор областей")
        similar = self.request.query_params.get("similar") in ("1", "true")
        filters = _filters(self.request, with_breakdown=False)
        text = self.request.query_params.get("q", "")
        return maps.profile_members(self.request.user, filters, areas, similar, text)
