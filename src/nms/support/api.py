"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

Thin: reads through the selectors (the user's scope), writes through `nms.support.services`;
a service's Russian ValidationError is a 400, a stale version a 409.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nms.accounts.scope import scope_of
from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.api_jobs import JobSerializer, job_accepted
from nms.registry.models import Municipality, Organization, Person, Subject
from nms.support import background, caseloads, selectors, services
from nms.support.filters import (
    ActFilterSet,
    CaseloadFilterSet,
    ExpertFilterSet,
    MembershipFilterSet,
    RequestFilterSet,
)
from nms.support.models import (
    ActFormat,
    ActiveLevel,
    ActiveMembership,
    ActiveRole,
    ActKind,
    Basis,
    Caseload,
    CaseloadBasis,
    ExpertKind,
    ExpertLevel,
    ExpertRank,
    ExpertRole,
    HelpRequest,
    MembershipStatus,
    RequesterKind,
    RequestStatus,
    SupportAct,
    Urgency,
)


def _enum_field(component: str, choices):
    """A choice field that is one named enum component of the schema (field names such as
    `kind`, `level` and `status` are shared with other apps' different choice sets)."""

    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


ActiveRoleField = _enum_field("SupportActiveRoleEnum", ActiveRole.choices)
ActiveLevelField = _enum_field("SupportActiveLevelEnum", ActiveLevel.choices)
BasisField = _enum_field("SupportBasisEnum", Basis.choices)
MembershipStatusField = _enum_field("SupportMembershipStatusEnum", MembershipStatus.choices)
CaseloadBasisField = _enum_field("SupportCaseloadBasisEnum", CaseloadBasis.choices)
RequesterKindField = _enum_field("SupportRequesterKindEnum", RequesterKind.choices)
UrgencyField = _enum_field("SupportUrgencyEnum", Urgency.choices)
RequestStatusField = _enum_field("SupportRequestStatusEnum", RequestStatus.choices)
ActKindField = _enum_field("SupportActKindEnum", ActKind.choices)
ActFormatField = _enum_field("SupportActFormatEnum", ActFormat.choices)
ExpertKindField = _enum_field("SupportExpertKindEnum", ExpertKind.choices)
ExpertLevelField = _enum_field("SupportExpertLevelEnum", ExpertLevel.choices)
ExpertRankField = _enum_field("SupportExpertRankEnum", ExpertRank.choices)
RO = {"read_only": True}


def _people(scope):
    return scope.people()


def _person_field(**kwargs):
    return ScopedPrimaryKeyField(_people, queryset=Person.objects.all(), **kwargs)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="Версия, которую видел клиент.")


# -- memberships ---------------------------------------------------------------------------------
class MembershipSerializer(serializers.ModelSerializer):
    role = ActiveRoleField(**RO)
    level = ActiveLevelField(**RO)
    basis = BasisField(**RO)
    status = MembershipStatusField(**RO)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ActiveMembership
        fields = [
            "id", "person", "person_name", "role", "role_display", "level", "municipality",
            "starts_on", "ends_on", "subjects", "specialisations", "basis", "order_number",
            "order_date", "status", "status_display", "role_assignment", "version",
        ]  # fmt: skip
        read_only_fields = fields


class MembershipWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    person = _person_field()
    role = ActiveRoleField()
    level = ActiveLevelField()
    basis = BasisField(required=False)
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, required=False
    )

    class Meta:
        model = ActiveMembership
        fields = [
            "person", "role", "level", "municipality", "starts_on", "ends_on", "subjects",
            "specialisations", "basis", "order_number", "order_date",
        ]  # fmt: skip


class MembershipPatchSerializer(MembershipWriteSerializer):
    role = ActiveRoleField(required=False)
    level = ActiveLevelField(required=False)

    class Meta(MembershipWriteSerializer.Meta):
        fields = [f for f in MembershipWriteSerializer.Meta.fields if f != "person"]
        extra_kwargs = {f: {"required": False} for f in fields}


class ApproveSerializer(VersionSerializer):
    order_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    order_date = StrictDateField(required=False, allow_null=True)


class EndSerializer(VersionSerializer):
    ends_on = StrictDateField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    grounds = serializers.ListField(child=serializers.CharField())
    refusals = serializers.ListField(child=serializers.CharField())


class MembershipViewSet(ScopedModelViewSet):
    """Участие в региональном (РМА) и муниципальных методических активах."""

    selector = staticmethod(selectors.memberships_for_list)
    filterset_class = MembershipFilterSet
    read_serializer_class = MembershipSerializer
    write_serializer_class = MembershipPatchSerializer
    create_serializer_class = MembershipWriteSerializer
    scope_action = "support.propose_candidates"
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(services.membership_update)

    @extend_schema(request=ApproveSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Утвердить участие приказом: участник РМА должен соответствовать требованиям
        (каждый отказ называет правило); работник получает роль на период участия."""
        membership = self.get_object()
        data = _valid(ApproveSerializer, request)
        with service_errors():
            services.membership_approve(
                request.user, membership, order_number=data.get("order_number", ""),
                order_date=data.get("order_date"), expected_version=data["version"],
            )  # fmt: skip
        return self._answer(membership)

    @extend_schema(request=EndSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Завершить участие: роль действует по дату выбытия."""
        membership = self.get_object()
        data = _valid(EndSerializer, request)
        with service_errors():
            services.membership_end(
                request.user, membership, data["ends_on"], expected_version=data["version"]
            )
        return self._answer(membership)

    @extend_schema(request=None, responses=EligibilitySerializer)
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """Соответствие работника требованиям к участнику РМА."""
        from nms.support.eligibility import eligibility

        check = eligibility(self.get_object().person)
        return Response(
            {"eligible": check.eligible, "grounds": check.ground_labels, "refusals": check.refusals}
        )


# -- caseloads ---------------------------------------------------------------------------------
class CaseloadSerializer(serializers.ModelSerializer):
    basis = CaseloadBasisField(**RO)
    teacher_name = serializers.CharField(source="teacher.full_name", read_only=True)
    methodist_name = serializers.CharField(source="methodist.full_name", read_only=True)

    class Meta:
        model = Caseload
        fields = [
            "id", "methodist", "methodist_name", "teacher", "teacher_name", "assigned_on",
            "automatic", "basis", "version",
        ]  # fmt: skip
        read_only_fields = fields


class CaseloadWriteSerializer(serializers.Serializer):
    methodist = _person_field()
    teacher = _person_field()


class CaseloadViewSet(ScopedModelViewSet):
    """Педагоги, закреплённые за региональными методистами (не больше предела на методиста)."""

    selector = staticmethod(selectors.caseloads_for_list)
    filterset_class = CaseloadFilterSet
    read_serializer_class = CaseloadSerializer
    write_serializer_class = CaseloadWriteSerializer
    scope_action = "support.manage_actives"

    def perform_service_create(self, data):
        with service_errors():
            return caseloads.caseload_assign(self.request.user, data["methodist"], data["teacher"])

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def assign(self, request):
        """Закрепить автоматически всех незакреплённых педагогов региона (фоновая задача;
        её файл — кто остался без методиста и почему)."""
        region = scope_of(request.user).default_region()
        if region is None:
            raise serializers.ValidationError({"detail": "Регион не определён."})
        with service_errors():
            job = background.caseload_job_start(request.user, region)
        return job_accepted(request, job)


# -- requests ----------------------------------------------------------------------------------
class RequestSerializer(serializers.ModelSerializer):
    requester_kind = RequesterKindField(**RO)
    urgency = UrgencyField(**RO)
    status = RequestStatusField(**RO)
    person_name = serializers.CharField(source="person.full_name", read_only=True, allow_null=True)
    methodist_name = serializers.CharField(
        source="methodist.full_name", read_only=True, allow_null=True
    )
    answer_seconds = serializers.SerializerMethodField(help_text="Время ответа, секунд.")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id", "requester_kind", "person", "person_name", "organization", "municipality",
            "subject", "topic", "question", "urgency", "attachment", "methodist",
            "methodist_name", "created_at", "deadline", "status", "answer", "answered_at",
            "answer_seconds", "is_overdue", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_answer_seconds(self, obj) -> int | None:
        return int(obj.answer_time.total_seconds()) if obj.answer_time else None

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class RequestWriteSerializer(serializers.ModelSerializer):
    requester_kind = RequesterKindField(required=False)
    urgency = UrgencyField(required=False)
    person = _person_field(required=False, allow_null=True)
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = HelpRequest
        fields = [
            "requester_kind", "person", "organization", "subject", "topic", "question",
            "urgency", "attachment",
        ]  # fmt: skip


class SupportAnswerSerializer(VersionSerializer):
    answer = serializers.CharField()


class RequestViewSet(ScopedModelViewSet):
    """Запросы на методическую помощь («горячая линия»): направляются методисту по предмету и
    территории; ответ — в срок."""

    selector = staticmethod(selectors.requests_for_list)
    filterset_class = RequestFilterSet
    read_serializer_class = RequestSerializer
    write_serializer_class = RequestWriteSerializer
    scope_action = "support.ask"
    create_service = staticmethod(services.request_create)

    @extend_schema(request=SupportAnswerSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def answer(self, request, pk=None):
        """Ответить на запрос (методист, которому он направлен, или ЦНППМ)."""
        help_request = self.get_object()
        data = _valid(SupportAnswerSerializer, request)
        with service_errors():
            services.request_answer(
                request.user, help_request, data["answer"], expected_version=data["version"]
            )
        return self._answer(help_request)


# -- support acts ------------------------------------------------------------------------------
class ActSerializer(serializers.ModelSerializer):
    kind = ActKindField(**RO)
    format = ActFormatField(**RO)
    recipient = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="Запись для пункта ИОМ.")

    class Meta:
        model = SupportAct
        fields = [
            "id", "kind", "held_on", "format", "methodist", "person", "organization",
            "for_team", "recipient", "topic", "notes", "route", "request", "source",
            "created_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ActWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    kind = ActKindField()
    format = ActFormatField(required=False)
    person = _person_field(required=False, allow_null=True)
    methodist = _person_field(required=False, allow_null=True)
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )
    request = ScopedPrimaryKeyField(
        lambda scope: scope.visible(HelpRequest),
        queryset=HelpRequest.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = SupportAct
        fields = [
            "kind", "held_on", "format", "methodist", "person", "organization", "for_team",
            "topic", "notes", "route", "request",
        ]  # fmt: skip


class ActPatchSerializer(ActWriteSerializer):
    kind = ActKindField(required=False)

    class Meta(ActWriteSerializer.Meta):
        extra_kwargs = {f: {"required": False} for f in ActWriteSerializer.Meta.fields}


class ActViewSet(ScopedModelViewSet):
    """Акты методической поддержки: кому (работнику, организации, управленческой команде),
    кто, когда, в каком формате; акт работнику закрывает пункт ИОМ с записью support:<id>."""

    selector = staticmethod(selectors.acts_for_list)
    filterset_class = ActFilterSet
    read_serializer_class = ActSerializer
    write_serializer_class = ActPatchSerializer
    create_serializer_class = ActWriteSerializer
    scope_action = "support.record_acts"
    create_service = staticmethod(services.act_create)
    update_service = staticmethod(services.act_update)


# -- experts -----------------------------------------------------------------------------------
class ExpertSerializer(serializers.ModelSerializer):
    kind = ExpertKindField(**RO)
    level = ExpertLevelField(**RO)
    rank = ExpertRankField(**RO)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = ExpertRole
        fields = [
            "id", "person", "person_name", "kind", "level", "subject", "rank", "starts_on",
            "ends_on", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ExpertWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    person = _person_field()
    kind = ExpertKindField()
    level = ExpertLevelField()
    rank = ExpertRankField(required=False, allow_blank=True)

    class Meta:
        model = ExpertRole
        fields = ["person", "kind", "level", "subject", "rank", "starts_on", "ends_on"]


class ExpertPatchSerializer(ExpertWriteSerializer):
    kind = ExpertKindField(required=False)
    level = ExpertLevelField(required=False)

    class Meta(ExpertWriteSerializer.Meta):
        fields = [f for f in ExpertWriteSerializer.Meta.fields if f != "person"]
        extra_kwargs = {f: {"required": False} for f in fields}


class ExpertViewSet(ScopedModelViewSet):
    """Региональный реестр экспертов: роли с видом экспертизы, уровнем и периодом."""

    selector = staticmethod(selectors.experts_for_list)
    filterset_class = ExpertFilterSet
    read_serializer_class = ExpertSerializer
    write_serializer_class = ExpertPatchSerializer
    create_serializer_class = ExpertWriteSerializer
    scope_action = "support.manage_actives"
    create_service = staticmethod(services.expert_create)
    update_service = staticmethod(services.expert_update)


# -- figures -----------------------------------------------------------------------------------
class YoungShareSerializer(serializers.Serializer):
    municipality_id = serializers.IntegerField()
    municipality = serializers.CharField()
    young = serializers.IntegerField()
    supported = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class YoungTeachersView(APIView):
    """A6/C25: молодые педагоги по муниципалитетам и доля охваченных поддержкой."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=YoungShareSerializer(many=True))
    def get(self, request):
        if not scope_of(request.user).can("support.young_teachers"):
            return Response([], status=status.HTTP_200_OK)
        return Response(selectors.young_teachers_support(request.user))


ROUTES = [
    ("support/memberships", MembershipViewSet, "api-support-membership"),
    ("support/caseloads", CaseloadViewSet, "api-support-caseload"),
    ("support/requests", RequestViewSet, "api-support-request"),
    ("support/acts", ActViewSet, "api-support-act"),
    ("support/experts", ExpertViewSet, "api-support-expert"),
]
PATHS = [
    path("support/young-teachers/", YoungTeachersView.as_view(), name="api-support-young"),
]
