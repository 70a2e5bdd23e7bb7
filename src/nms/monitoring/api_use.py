"""The API of monitoring in use (under /api/v1/monitoring/, included by api.py's ROUTES):

- monitoring/cards/ — information cards in the scope; POST opens the card of an organization or
  a municipality for a period; `{id}/values/` saves values, `{id}/submit/`, `{id}/return/`
  (with `comment`), `{id}/accept/` — each with the `version` the client saw (409 when stale);
- monitoring/recommendations/ — address recommendations in the scope; POST writes one by hand
  (a draft), PATCH the text of a draft; `{id}/publish/`, `{id}/done/`; `generate/` drafts for
  every unit below target;
- monitoring/recommendation-rules/ — the region's rules (ЦНППМ, admin);
- monitoring/decisions/ — management decisions with their effect in the next period.

Every write goes through the services of cards, recommendations and decisions; their Russian
errors are 400, a refusal 403, an object outside the scope 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from nms.accounts.scope import scope_of
from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    service_errors,
)
from nms.common.concurrency import ConflictSerializer, with_etag
from nms.monitoring import cards, decisions, recommendations
from nms.monitoring.filters import DecisionFilterSet, RecommendationFilterSet
from nms.monitoring.models import (
    Addressee,
    CardValue,
    Decision,
    Indicator,
    InfoCard,
    Recommendation,
    RecommendationRule,
)
from nms.registry.models import Municipality, Organization

STALE = {409: ConflictSerializer}


def valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _indicators(scope):
    return scope.visible(Indicator)


# -- cards ----------------------------------------------------------------------------------------
class CardValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = CardValue
        fields = ["indicator", "code", "number", "yes", "text", "link"]
        read_only_fields = fields


class InfoCardSerializer(serializers.ModelSerializer):
    values = CardValueSerializer(many=True, read_only=True)

    class Meta:
        model = InfoCard
        fields = [
            "id", "region", "period", "scope_type", "municipality", "organization", "status",
            "comment", "submitted_at", "decided_at", "version", "values",
        ]  # fmt: skip
        read_only_fields = fields


class CardOpenSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=30)
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(), queryset=Organization.objects.all(), required=False
    )
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(), queryset=Municipality.objects.all(), required=False
    )

    def validate(self, data):
        if bool(data.get("organization")) == bool(data.get("municipality")):
            raise serializers.ValidationError("Укажите либо организацию, либо муниципалитет.")
        return data


class CardEntrySerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=20, help_text="Код показателя или его id.")
    number = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    yes = serializers.BooleanField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    link = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CardValuesSerializer(VersionSerializer):
    values = CardEntrySerializer(many=True)


class CardReturnSerializer(VersionSerializer):
    comment = serializers.CharField(max_length=4000)


class InfoCardViewSet(ScopedModelViewSet):
    """Information cards of the scope (with their values)."""

    read_serializer_class = InfoCardSerializer
    create_serializer_class = CardOpenSerializer
    scope_action = "monitoring.fill_cards"
    filterset_fields = ["period", "status", "scope_type", "organization", "municipality"]

    def get_queryset(self):
        rows = scope_of(self.request.user).visible(InfoCard)
        return rows.prefetch_related("values__indicator").order_by("-period", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return CardOpenSerializer
        return InfoCardSerializer

    def perform_service_create(self, data):
        unit = data.get("organization") or data.get("municipality")
        with service_errors():
            return cards.card_for(self.request.user, data["period"], unit)

    def get_permissions(self):
        if self.action in ("accept", "send_back"):  # the coordinator's; the service decides
            return [IsAuthenticated()]
        return super().get_permissions()

    def _answer_card(self, card):
        card = self.get_queryset().get(pk=card.pk)
        return with_etag(Response(InfoCardSerializer(card).data), card)

    @extend_schema(request=CardValuesSerializer, responses={200: InfoCardSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        """Сохранить значения карты (черновик или возвращённая карта)."""
        card = self.get_object()
        data = valid(CardValuesSerializer, request)
        entries = {
            entry["indicator"]: {k: v for k, v in entry.items() if k != "indicator"}
            for entry in data["values"]
        }
        with service_errors():
            card = cards.card_save(request.user, card, entries, data["version"])
        return self._answer_card(card)

    @extend_schema(request=VersionSerializer, responses={200: InfoCardSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Отправить карту на проверку (все показатели заполнены)."""
        card = self.get_object()
        data = valid(VersionSerializer, request)
        with service_errors():
            card = cards.card_submit(request.user, card, data["version"])
        return self._answer_card(card)

    @extend_schema(request=CardReturnSerializer, responses={200: InfoCardSerializer, **STALE})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Вернуть карту на доработку с комментарием (проверяющий)."""
        card = self.get_object()
        data = valid(CardReturnSerializer, request)
        with service_errors():
            card = cards.card_return(request.user, card, data["comment"], data["version"])
        return self._answer_card(card)

    @extend_schema(request=VersionSerializer, responses={200: InfoCardSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Принять карту (проверяющий); показатели карты за период пересчитываются."""
        card = self.get_object()
        data = valid(VersionSerializer, request)
        with service_errors():
            card = cards.card_accept(request.user, card, data["version"])
        return self._answer_card(card)


# -- recommendations ------------------------------------------------------------------------------
class RecommendationSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True, default="")

    class Meta:
        model = Recommendation
        fields = [
            "id", "region", "rule", "indicator", "indicator_code", "period", "addressee",
            "municipality", "organization", "text", "status", "published_at", "done_at",
            "version", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RecommendationWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class RecommendationCreateSerializer(serializers.Serializer):
    addressee = serializers.ChoiceField(choices=Addressee.choices)
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(), queryset=Organization.objects.all(), required=False
    )
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(), queryset=Municipality.objects.all(), required=False
    )
    indicator = ScopedPrimaryKeyField(
        _indicators, queryset=Indicator.objects.all(), required=False, allow_null=True
    )
    period = serializers.CharField(max_length=30)
    text = serializers.CharField(max_length=4000)


class GenerateSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=30)


class GeneratedSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class RecommendationViewSet(ScopedModelViewSet):
    """Address recommendations of the scope."""

    read_serializer_class = RecommendationSerializer
    write_serializer_class = RecommendationWriteSerializer
    create_serializer_class = RecommendationCreateSerializer
    scope_action = "monitoring.recommend"
    filterset_class = RecommendationFilterSet
    create_service = staticmethod(recommendations.create)
    update_service = staticmethod(recommendations.update)

    def get_queryset(self):
        rows = scope_of(self.request.user).visible(Recommendation)
        return rows.select_related("indicator").order_by("-created_at", "-id")

    def _answer_one(self, item):
        item = self.get_queryset().get(pk=item.pk)
        return with_etag(Response(RecommendationSerializer(item).data), item)

    @extend_schema(request=VersionSerializer, responses={200: RecommendationSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Опубликовать черновик: адресаты увидят рекомендацию на главной странице."""
        item = self.get_object()
        data = valid(VersionSerializer, request)
        with service_errors():
            item = recommendations.publish(request.user, item, data["version"])
        return self._answer_one(item)

    @extend_schema(request=VersionSerializer, responses={200: RecommendationSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Отметить выполненной (адресат или тот, кто формирует рекомендации)."""
        item = self.get_object()
        data = valid(VersionSerializer, request)
        with service_errors():
            item = recommendations.mark_done(request.user, item, data["version"])
        return self._answer_one(item)

    @extend_schema(request=GenerateSerializer, responses={200: GeneratedSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Черновики по правилам для каждой единицы ниже целевого значения за период."""
        data = valid(GenerateSerializer, request)
        region = scope_of(request.user).default_region()
        if region is None:
            raise serializers.ValidationError("Не определён регион.")
        with service_errors():
            created = recommendations.generate(request.user, region, data["period"])
        return Response({"created": created}, status=status.HTTP_200_OK)

    def get_permissions(self):
        if self.action == "done":  # the addressees mark it, the service decides who they are
            return [IsAuthenticated()]
        return super().get_permissions()


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecommendationRule
        fields = ["id", "region", "indicator", "addressee", "text", "active", "version"]
        read_only_fields = fields


class RuleWriteSerializer(serializers.Serializer):
    indicator = ScopedPrimaryKeyField(_indicators, queryset=Indicator.objects.all())
    addressee = serializers.ChoiceField(choices=Addressee.choices)
    text = serializers.CharField(max_length=4000)
    active = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class RuleViewSet(ScopedModelViewSet):
    """The region's rules of address recommendations."""

    read_serializer_class = RuleSerializer
    write_serializer_class = RuleWriteSerializer
    scope_action = "monitoring.define"
    create_service = staticmethod(recommendations.rule_create)
    update_service = staticmethod(recommendations.rule_update)

    def get_queryset(self):
        rows = scope_of(self.request.user).visible(RecommendationRule)
        return rows.order_by("id")


# -- decisions ------------------------------------------------------------------------------------
class EffectSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    scope_type = serializers.CharField()
    scope_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    before = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="before.value", allow_null=True, default=None
    )
    after = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="after.value", allow_null=True, default=None
    )
    change = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    verdict = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    compared_period = serializers.SerializerMethodField()
    effect = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id", "region", "title", "document", "decided_on", "measures", "indicators",
            "municipalities", "organizations", "base_period", "responsible", "deadline",
            "status", "version", "created_at", "compared_period", "effect",
        ]  # fmt: skip
        read_only_fields = fields

    def get_compared_period(self, obj) -> str | None:
        return decisions.next_period(obj.region_id, obj.base_period)

    @extend_schema(responses=EffectSerializer(many=True))
    def get_effect(self, obj) -> list:
        _, rows = decisions.effect(obj)
        return EffectSerializer(rows, many=True).data


class DecisionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    document = serializers.CharField(max_length=300, required=False, allow_blank=True)
    decided_on = StrictDateField()
    measures = serializers.CharField(max_length=8000)
    indicators = ScopedPrimaryKeyField(_indicators, queryset=Indicator.objects.all(), many=True)
    municipalities = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        many=True,
        required=False,
    )
    organizations = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        many=True,
        required=False,
    )
    base_period = serializers.CharField(max_length=30)
    responsible = serializers.CharField(max_length=300)
    deadline = StrictDateField()
    status = serializers.ChoiceField(choices=Decision.Status.choices, required=False)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class DecisionViewSet(ScopedModelViewSet):
    """Management decisions of the scope and their effect."""

    read_serializer_class = DecisionSerializer
    write_serializer_class = DecisionWriteSerializer
    scope_action = "monitoring.decide"
    filterset_class = DecisionFilterSet
    create_service = staticmethod(decisions.create)
    update_service = staticmethod(decisions.update)

    def get_queryset(self):
        decisions.mark_overdue()
        rows = scope_of(self.request.user).visible(Decision)
        return rows.prefetch_related("indicators", "municipalities", "organizations").order_by(
            "-decided_on", "-id"
        )


USE_ROUTES = [
    ("monitoring/recommendation-rules", RuleViewSet, "monitoring-api-rule"),
    ("monitoring/recommendations", RecommendationViewSet, "monitoring-api-recommendation"),
    ("monitoring/decisions", DecisionViewSet, "monitoring-api-decision"),
    ("monitoring/cards", InfoCardViewSet, "monitoring-api-card"),
]
