"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

- monitoring/indicators/ — the catalogue and the region's own indicators: region users read them;
  the ЦНППМ creates (a region's indicator, code optional), changes and deletes its own, and of a
  built-in one changes the targets, parameters and `active` (kept as the region's override);
  `POST monitoring/indicators/compute/` computes a period (a background job above
  NMS_MONITORING_SYNC_UNITS organizations, else at once);
- monitoring/snapshots/ — the computed values, filtered by period, code, scope_type, scope_id.
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from nms.accounts.scope import scope_of
from nms.common.api import ScopedModelViewSet, service_errors
from nms.monitoring import definitions
from nms.monitoring.models import Indicator, Snapshot


class IndicatorSerializer(serializers.ModelSerializer):
    builtin = serializers.SerializerMethodField()
    # Plain strings in the schema: choice sets named once (see ENUM_NAME_OVERRIDES).
    card_scope = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    direction = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True)
    indicator_set = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "region", "code", "name", "indicator_set", "track", "source", "unit",
            "direction", "targets", "frequency", "formation", "responsible", "data_source",
            "method", "numerator", "denominator", "function", "by_subject", "parameters",
            "choices_made", "card_scope", "active", "definition_version", "version", "builtin",
        ]  # fmt: skip
        read_only_fields = fields

    def get_builtin(self, obj) -> bool:
        return obj.region_id is None


class IndicatorWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    name = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)
    direction = serializers.CharField(required=False)
    targets = serializers.JSONField(required=False)
    method = serializers.CharField(required=False)
    numerator = serializers.JSONField(required=False)
    denominator = serializers.JSONField(required=False)
    function = serializers.CharField(required=False, allow_blank=True)
    by_subject = serializers.BooleanField(required=False)
    parameters = serializers.JSONField(required=False)
    choices_made = serializers.CharField(required=False, allow_blank=True)
    card_scope = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    source = serializers.CharField(required=False, allow_blank=True)
    formation = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values.pop("version", None)
        return values


class ComputeSerializer(serializers.Serializer):
    period = serializers.CharField()
    scope_types = serializers.ListField(
        child=serializers.RegexField(r"^(region|municipality|organization)$"),
        required=False,
        help_text="region, municipality, organization",
    )
    codes = serializers.ListField(child=serializers.CharField(), required=False)


class IndicatorViewSet(ScopedModelViewSet):
    """Показатели мониторинга: встроенный каталог и показатели региона."""

    model = Indicator
    read_serializer_class = IndicatorSerializer
    write_serializer_class = IndicatorWriteSerializer
    scope_action = "monitoring.define"
    scope_message = definitions.NO_RIGHTS
    create_service = staticmethod(lambda user, data: definitions.indicator_create(user, data))
    update_service = staticmethod(definitions.indicator_update)
    destroy_service = staticmethod(definitions.indicator_delete)
    filterset_fields = ["code", "indicator_set", "method", "region"]

    def get_queryset(self):
        return super().get_queryset().order_by("indicator_set", "code", "id")

    def get_permissions(self):
        if self.action == "compute":  # its own action, checked on the region below
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        request=ComputeSerializer,
        responses={
            200: inline_serializer("ComputeAnswer", {"snapshots": serializers.IntegerField()})
        },
    )
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Рассчитать показатели региона за период (региона пользователя)."""
        from nms.monitoring import tasks

        data = ComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scope = scope_of(request.user)
        region = scope.default_region()
        if region is None or not scope.can("monitoring.compute", region):
            raise PermissionDenied("Рассчитывать показатели может ЦНППМ или министерство региона.")
        values = data.validated_data
        with service_errors():
            if tasks.in_background(region):
                from nms.common.api_jobs import job_accepted

                job = tasks.compute_start(request.user, region, values["period"])
                return job_accepted(request, job)
            written = tasks.compute_now(
                region,
                values["period"],
                scope_types=values.get("scope_types"),
                codes=values.get("codes"),
            )
        return Response({"snapshots": written}, status=status.HTTP_200_OK)


class SnapshotSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    scope_type = serializers.CharField(
        read_only=True, help_text="region, municipality или organization"
    )
    status = serializers.CharField(read_only=True, help_text="computed, no_data, cards_pending")
    name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = Snapshot
        fields = [
            "id", "indicator", "code", "name", "period", "starts_on", "ends_on", "scope_type",
            "scope_id", "scope_name", "subject", "numerator", "denominator", "value", "target",
            "met", "status", "details", "definition_version", "computed_at",
        ]  # fmt: skip
        read_only_fields = fields


class SnapshotViewSet(ScopedModelViewSet):
    """Рассчитанные значения показателей по периодам и территориям."""

    model = Snapshot
    read_serializer_class = SnapshotSerializer
    filterset_fields = ["period", "scope_type", "scope_id", "indicator"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("indicator")
        code = self.request.query_params.get("code")
        if code:
            rows = rows.filter(indicator__code=code)
        return rows.order_by("period", "scope_type", "scope_id", "indicator__code", "id")


try:
    from nms.monitoring.api_use import USE_ROUTES
except ImportError:
    USE_ROUTES = []

ROUTES = [
    ("monitoring/indicators", IndicatorViewSet, "monitoring-indicator"),
    ("monitoring/snapshots", SnapshotViewSet, "monitoring-snapshot"),
    *USE_ROUTES,
]
PATHS = []
