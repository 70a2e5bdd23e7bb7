"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns).

- exchange/passport/?region=&starts_on=ДД.ММ.ГГГГ|ГГГГ-ММ-ДД&ends_on=… — the figures of the
  regional passport of further professional education (JSON; nothing recorded);
- exchange/passport/xlsx/?… — the passport's workbook in the documented layout
  (docs/exchange.md); forming it is recorded (the monitoring's B3).

Only the ministry, ЦНППМ (their region) and the administrator; others get 403, a region outside
the scope 404.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.accounts.scope import scope_of
from nms.common.filters import parse_id
from nms.common.views import xlsx_response
from nms.exchange import services
from nms.exchange.access import PASSPORT

PARAMETERS = [
    OpenApiParameter("region", int, description="регион (если у пользователя их несколько)"),
    OpenApiParameter("starts_on", str, description="начало периода: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
    OpenApiParameter("ends_on", str, description="окончание периода"),
]


def _date(text: str | None) -> date | None:
    if not text:
        return None
    for parse in (date.fromisoformat, lambda t: date(int(t[6:10]), int(t[3:5]), int(t[0:2]))):
        try:
            return parse(text.strip())
        except (ValueError, IndexError):
            continue
    return None


class PassportRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField(allow_null=True)


class PassportSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.pk")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    summary = PassportRowSerializer(many=True)
    programmes = serializers.ListField(child=serializers.ListField(allow_empty=True))
    categories = serializers.ListField(child=serializers.ListField(allow_empty=True))
    municipalities = serializers.ListField(child=serializers.ListField(allow_empty=True))
    providers = serializers.ListField(child=serializers.ListField(allow_empty=True))


class _PassportView(APIView):
    permission_classes = [IsAuthenticated]

    def arguments(self, request):
        scope = scope_of(request.user)
        if not scope.can(PASSPORT):
            raise PermissionDenied(services.NO_RIGHTS)
        regions = services.regions_for(request.user)
        if request.query_params.get("region"):
            region = regions.filter(pk=parse_id(request.query_params["region"]) or 0).first()
        else:
            region = regions.first() if regions.count() == 1 else None
        if region is None:
            raise Http404("Регион не найден.")
        today = date.today()
        starts_on = _date(request.query_params.get("starts_on")) or date(today.year - 1, 1, 1)
        ends_on = _date(request.query_params.get("ends_on")) or date(today.year - 1, 12, 31)
        return region, starts_on, ends_on


def _bad(error) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class PassportView(_PassportView):
    @extend_schema(
        summary="Показатели регионального паспорта ДПО за период",
        parameters=PARAMETERS,
        responses=PassportSerializer,
    )
    def get(self, request):
        region, starts_on, ends_on = self.arguments(request)
        try:
            data = services.passport_figures(request.user, region, starts_on, ends_on)
        except ValidationError as error:
            return _bad(error)
        data.summary = [
            {"label": k, "value": None if v is None else str(v)} for k, v in data.summary
        ]
        rows = ("programmes", "categories", "municipalities", "providers")
        for name in rows:
            setattr(
                data,
                name,
                [[None if v is None else str(v) for v in row] for row in getattr(data, name)],
            )
        return Response(PassportSerializer(data).data)


class PassportFileView(_PassportView):
    @extend_schema(
        summary="Региональный паспорт ДПО (XLSX)",
        parameters=PARAMETERS,
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiResponse(OpenApiTypes.BINARY)
            )
        },
    )
    def get(self, request):
        region, starts_on, ends_on = self.arguments(request)
        try:
            content, record = services.form_passport(request.user, region, starts_on, ends_on)
        except ValidationError as error:
            return _bad(error)
        name = f"паспорт_ДПО_{starts_on:%d.%m.%Y}-{ends_on:%d.%m.%Y}.xlsx"
        return xlsx_response(content, name)


ROUTES = []
PATHS = [
    path("exchange/passport/", PassportView.as_view(), name="api-exchange-passport"),
    path("exchange/passport/xlsx/", PassportFileView.as_view(), name="api-exchange-passport-xlsx"),
]
