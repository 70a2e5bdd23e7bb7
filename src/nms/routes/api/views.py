"""The ИОМ REST API's viewsets, mounted at /api/v1/routes/ (see nms/api_urls.py).

Reads start from `nms.routes.selectors`, writes go through `nms.routes.services`; the only work
done here is turning JSON into the services' arguments and their errors into HTTP answers
(Django's ValidationError → 400, PermissionDenied → 403, a route outside the scope → 404).
Every change of a route carries the version the user saw; a save on a stale copy is 409 Conflict
with the service's message and the route's current version.

Long work runs in the background as on the pages (DESIGN.md §3): the answer is 202 with the job
(its state and file at /api/v1/jobs/{id}/, the address in Location) — the documents of the
register (always), the register export (`POST export/`) and routes from a template for more than
NMS_SYNC_ROUTES_LIMIT people.

Why the export's job is a POST: a GET must be safe to repeat — clients retry it, proxies and the
browsable API fetch it, and DRF answers HEAD with the same action — so a GET that started a job
would start one for every such request; and its answer would change type (a file or a job) with
the register's size. So `GET export/` stays the file in the request up to NMS_EXPORT_SYNC_LIMIT
rows and above it refuses (400) naming the POST; `POST export/` (the same filters in the query)
always starts the job, like `POST documents/`.

The viewsets stay on DRF's GenericViewSet rather than `nms.common.api.ScopedModelViewSet`: that
base brings the list, retrieve, update and destroy routes and derives the allowed methods of the
whole viewset from the declared services. Routes' items, reports and templates would gain URLs
they do not have (GET items/, items/{id}/, templates/{id}/ …); the routes' own viewset would 405
its `items/{item_id}/` PATCH and DELETE (the methods are viewset-wide) or, allowing them, route
PATCH/DELETE on routes/{id}/ to a missing service; and its create answers with a serializer that
needs the request (the user's roles on the route), which `ServiceWritesMixin._answer` does not
pass. Reads still start from the selectors and writes go through the services.
"""

import copy
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from nms.common.api import service_errors
from nms.common.api_jobs import JobSerializer, job_accepted
from nms.common.filters import ById
from nms.common.views import xlsx_response
from nms.registry.models import Person
from nms.routes import background, selectors, services
from nms.routes.api.serializers import (
    AreaSuggestionsSerializer,
    DashboardSerializer,
    DeficitsUpdateSerializer,
    GeneralInfoUpdateSerializer,
    OutcomesSummarySerializer,
    ReportCreateSerializer,
    ReportDecisionSerializer,
    RouteConflictSerializer,
    RouteCreateSerializer,
    RouteDetailSerializer,
    RouteItemChangeSerializer,
    RouteItemPatchSerializer,
    RouteItemReportSerializer,
    RouteItemSerializer,
    RouteItemWriteSerializer,
    RouteRowSerializer,
    RouteTemplateCreateSerializer,
    RouteTemplateSerializer,
    RouteVersionDetailSerializer,
    RouteVersionSerializer,
    TemplateAppliedSerializer,
    TemplateApplySerializer,
    TextsSerializer,
    TransitionSerializer,
    VersionSerializer,
)
from nms.routes.exports import (
    documents_start,
    register_export_start,
    register_xlsx,
    route_docx,
)
from nms.routes.filters import RouteFilterSet
from nms.routes.models import ItemReport, Route, RouteItem, RouteTemplate
from nms.routes.suggestions import suggest


# -- a save on a stale copy as 409 ---------------------------------------------------------------
class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.detail = {"detail": self.detail, "version": version}


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


STALE = {409: RouteConflictSerializer}


# -- the register's filters: the pages' own, with the ids typed for the schema ----------------
class RouteApiFilterSet(RouteFilterSet):
    municipality = ById(copy.deepcopy(RouteFilterSet.base_filters["municipality"]))
    organization = ById(copy.deepcopy(RouteFilterSet.base_filters["organization"]))


# -- viewsets ------------------------------------------------------------------------------------
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FILENAME = "Реестр ИОМ.xlsx"
# 400: too many rows (the three fields), or a wrong filter ({"<filter>": ["…"]}, as the list).
EXPORT_TOO_BIG = inline_serializer(
    "RegisterExportTooBig",
    {
        "detail": serializers.CharField(required=False),
        "count": serializers.IntegerField(required=False, help_text="Строк в выгрузке."),
        "limit": serializers.IntegerField(required=False, help_text="NMS_EXPORT_SYNC_LIMIT."),
    },
)
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
        if self.action == "list":
            return selectors.register_rows(user)
        if self.action in ("export", "documents"):
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
        """Шаг маршрута по таблице участников (seed 002): только своей роли; комментарий
        обязателен для возврата на доработку и досрочного закрытия (`needs_comment`)."""
        route = self.get_object()
        data = valid(TransitionSerializer, request)
        with route_errors(route):
            services.transition(request.user, route, data["name"], data["comment"], data["version"])
        return self._detail(route)

    @extend_schema(
        request=DeficitsUpdateSerializer, responses={200: RouteDetailSerializer, **STALE}
    )
    @action(detail=True, methods=["post"], url_path="update-deficits")
    def update_deficits(self, request, pk=None):
        """Раздел 2 по более новому результату диагностики работника (`new_result`), новой
        версией маршрута; обновляет региональный методист маршрута или методист института."""
        route = self.get_object()
        data = valid(DeficitsUpdateSerializer, request)
        result = get_object_or_404(selectors.results_of_route_person(route), pk=data["result"])
        with route_errors(route):
            services.update_deficits_from_result(route, result, request.user, data["version"])
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

    @extend_schema(
        methods=["GET"],
        filters=True,
        responses={(200, XLSX): OpenApiTypes.BINARY, 400: EXPORT_TOO_BIG},
    )
    @extend_schema(methods=["POST"], filters=True, request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["get", "post"])
    def export(self, request):
        """Реестр маршрутов (XLSX) с теми же фильтрами, что и список. GET — файл сразу, если в
        выгрузке не больше NMS_EXPORT_SYNC_LIMIT строк (иначе 400 с подсказкой); POST — та же
        выгрузка в фоне: ответ 202 — задача, её состояние и ссылка на файл — в
        /api/v1/jobs/{id}/ (адрес в заголовке Location)."""
        routes = self.filter_queryset(self.get_queryset())  # a wrong filter is 400, before a job
        if request.method == "POST":
            job = register_export_start(request.user, request.query_params, EXPORT_FILENAME)
            return job_accepted(request, job)
        count, limit = routes.count(), settings.NMS_EXPORT_SYNC_LIMIT
        if count > limit:
            detail = (
                f"В выгрузке {count} строк, больше {limit}: такая выгрузка готовится в фоне — "
                "отправьте POST на этот же адрес с теми же фильтрами (ответ 202 — задача)."
            )
            answer = {"detail": detail, "count": count, "limit": limit}
            return Response(answer, status=status.HTTP_400_BAD_REQUEST)
        return xlsx_response(register_xlsx(routes), EXPORT_FILENAME)

    @extend_schema(filters=True, request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def documents(self, request):
        """Документы ИОМ: Word-документы всех маршрутов реестра (с теми же фильтрами, что и
        список) одним ZIP-архивом. Готовятся в фоне: ответ 202 — задача; её состояние и ссылка
        на архив — в /api/v1/jobs/{id}/ (адрес в заголовке Location)."""
        self.filter_queryset(self.get_queryset())  # a wrong filter is 400, before any job
        return job_accepted(request, documents_start(request.user, request.query_params))

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

    @extend_schema(
        request=ReportDecisionSerializer, responses={200: RouteItemReportSerializer, **STALE}
    )
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

    @extend_schema(
        request=TemplateApplySerializer,
        responses={201: TemplateAppliedSerializer, 202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Создать по шаблону независимые черновики маршрутов для группы работников.

        До NMS_SYNC_ROUTES_LIMIT работников — сразу: 201, сколько создано и их id. Больше — в
        фоне, как на странице: 202 — задача (адрес в заголовке Location); в её сообщении — сколько
        создано и кто пропущен, в файле — поимённо. Всё или ничего в обоих случаях."""
        template = self.get_object()
        data = valid(TemplateApplySerializer, request)
        people = set(data["people"])
        if len(people) > background.sync_routes_limit():
            with service_errors():  # the rights and the dates are refused before any job
                job = background.template_people_job_start(
                    request.user,
                    template,
                    people,
                    data["starts_on"],
                    data["ends_on"],
                    methodist=data.get("methodist"),
                )
            return job_accepted(request, job)
        with service_errors():
            routes = services.routes_from_template(
                request.user,
                template,
                Person.objects.filter(pk__in=people).only("pk"),
                data["starts_on"],
                data["ends_on"],
                methodist=data.get("methodist"),
            )
        answer = {"count": len(routes), "ids": [route.pk for route in routes]}
        return Response(TemplateAppliedSerializer(answer).data, status=status.HTTP_201_CREATED)
