"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

- mentoring/mentors — mentor profiles (the scope's and every published one); a teacher creates
  their own, the administration anyone's of its territory;
- mentoring/requests — requests to mentors; POST …/{id}/accept|reject|cancel/ with the version;
- mentoring/pairs — pairs; PATCH goals, ends_on, outcome; POST …/{id}/complete/ and
  …/{id}/meetings/ (APIViews in PATHS);
- mentoring/programs — the organizations' programmes; mentoring/curators, mentoring/schools —
  read;
- mentoring/match/{person_id}/ — mentors ranked for the person's deficits, with the reasons.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
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
from nms.common.concurrency import ConflictSerializer, with_etag
from nms.itembank.models import CompetencyArea
from nms.mentoring import selectors, services
from nms.mentoring.filters import (
    CuratorFilterSet,
    PairFilterSet,
    ProfileFilterSet,
    ProgramFilterSet,
    RequestFilterSet,
    SchoolFilterSet,
)
from nms.mentoring.models import (
    Curator,
    CuratorLevel,
    Meeting,
    MentoringForm,
    MentoringProgram,
    MentoringSchool,
    MentorProfile,
    MentorshipRequest,
    Pair,
    PairStatus,
    RequestStatus,
)
from nms.registry.models import Organization, Person, Subject

STALE = {409: ConflictSerializer}


def _enum_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A choice field whose values are one named enum component of the schema (the app's
    states, forms and levels share their field names with other apps' choice sets)."""

    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


FormField = _enum_field("MentoringFormEnum", MentoringForm.choices)
RequestStatusField = _enum_field("MentorshipRequestStatusEnum", RequestStatus.choices)
PairStatusField = _enum_field("MentoringPairStatusEnum", PairStatus.choices)
CuratorLevelField = _enum_field("MentoringCuratorLevelEnum", CuratorLevel.choices)


def _people(scope):
    return scope.people()


# -- mentor profiles ---------------------------------------------------------------------------
class MentorProfileSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    forms = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MentorProfile
        fields = [
            "id", "person", "person_name", "subjects", "areas", "mentoring_years", "experience",
            "capacity", "offers_teacher", "offers_manager", "offers_team", "forms",
            "across_organizations", "across_municipalities", "public", "active", "version",
        ]  # fmt: skip
        read_only_fields = fields


class MentorProfileWriteSerializer(serializers.ModelSerializer):
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, required=False
    )
    areas = serializers.PrimaryKeyRelatedField(
        queryset=CompetencyArea.objects.all(), many=True, required=False
    )

    class Meta:
        model = MentorProfile
        fields = [
            "subjects", "areas", "mentoring_years", "experience", "capacity", "offers_teacher",
            "offers_manager", "offers_team", "across_organizations", "across_municipalities",
            "public", "active",
        ]  # fmt: skip


class MentorProfileCreateSerializer(MentorProfileWriteSerializer):
    person = ScopedPrimaryKeyField(
        _people,
        queryset=Person.objects.all(),
        required=False,
        help_text="Работник — будущий наставник; без него — сам пользователь.",
    )

    class Meta(MentorProfileWriteSerializer.Meta):
        fields = ["person", *MentorProfileWriteSerializer.Meta.fields]


class MentorProfileViewSet(ScopedModelViewSet):
    """Профили наставников: свои и своей территории, а также опубликованные в открытом реестре."""

    selector = staticmethod(selectors.profiles_for_list)
    filterset_class = ProfileFilterSet
    read_serializer_class = MentorProfileSerializer
    write_serializer_class = MentorProfileWriteSerializer
    create_serializer_class = MentorProfileCreateSerializer
    create_service = staticmethod(services.profile_create)
    update_service = staticmethod(services.profile_update)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("subjects", "areas")


# -- requests ----------------------------------------------------------------------------------
class MentorshipRequestSerializer(serializers.ModelSerializer):
    form = FormField(read_only=True)
    status = RequestStatusField(read_only=True)
    mentee_name = serializers.CharField(source="mentee.full_name", read_only=True)
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)

    class Meta:
        model = MentorshipRequest
        fields = [
            "id", "mentee", "mentee_name", "mentor", "mentor_name", "form", "goals", "status",
            "created_at", "decided_at", "answer", "version",
        ]  # fmt: skip
        read_only_fields = fields


class MentorshipRequestCreateSerializer(serializers.Serializer):
    mentor_profile = serializers.IntegerField(min_value=1, help_text="Профиль наставника.")
    form = FormField(required=False)
    goals = serializers.CharField(required=False, allow_blank=True)
    mentee = ScopedPrimaryKeyField(
        _people,
        queryset=Person.objects.all(),
        required=False,
        help_text="Для администрации: наставляемый из её области доступа.",
    )


class MentorshipDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="Версия, которую видел пользователь.")
    answer = serializers.CharField(required=False, allow_blank=True)


class MentorshipRequestViewSet(ScopedModelViewSet):
    """Запросы педагогов наставникам: ожидает ответа → принят / отклонён / отозван."""

    selector = staticmethod(selectors.requests_for_list)
    filterset_class = RequestFilterSet
    read_serializer_class = MentorshipRequestSerializer
    write_serializer_class = MentorshipRequestCreateSerializer

    def get_serializer_class(self):
        if self.action == "create":
            return MentorshipRequestCreateSerializer
        if self.action in ("accept", "reject", "cancel"):
            return MentorshipDecisionSerializer
        return MentorshipRequestSerializer

    @extend_schema(
        request=MentorshipRequestCreateSerializer, responses={201: MentorshipRequestSerializer}
    )
    def create(self, request, *args, **kwargs):
        serializer = MentorshipRequestCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        visible = scope_of(request.user).visible(MentorProfile)
        profile = visible.filter(pk=data.pop("mentor_profile")).first()
        if profile is None:
            raise serializers.ValidationError({"mentor_profile": ["Наставник не найден."]})
        with service_errors():
            created = services.request_create(request.user, profile, data)
        return self._answer(created, status.HTTP_201_CREATED)

    def perform_service_create(self, data):  # `create` above does the work
        raise NotImplementedError

    def _decide(self, request, service, **extra):
        req = self.get_object()
        serializer = MentorshipDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            service(
                request.user, req, expected_version=serializer.validated_data["version"], **extra
            )
        return self._answer(req)

    @extend_schema(
        request=MentorshipDecisionSerializer, responses={200: MentorshipRequestSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Наставник принимает запрос: создаётся пара (в пределах его свободных мест)."""
        return self._decide(request, services.request_accept)

    @extend_schema(
        request=MentorshipDecisionSerializer, responses={200: MentorshipRequestSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Наставник отклоняет запрос (ответ — в `answer`)."""
        return self._decide(request, services.request_reject, answer=request.data.get("answer", ""))

    @extend_schema(
        request=MentorshipDecisionSerializer, responses={200: MentorshipRequestSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Наставляемый отзывает свой запрос."""
        return self._decide(request, services.request_cancel)


# -- pairs -------------------------------------------------------------------------------------
class PairMeetingSerializer(serializers.ModelSerializer):
    held_on = StrictDateField()

    class Meta:
        model = Meeting
        fields = ["id", "held_on", "topic", "notes"]
        read_only_fields = ["id"]


class MentoringPairSerializer(serializers.ModelSerializer):
    form = FormField(read_only=True)
    status = PairStatusField(read_only=True)
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.full_name", read_only=True)
    meetings = PairMeetingSerializer(many=True, read_only=True)

    class Meta:
        model = Pair
        fields = [
            "id", "mentor", "mentor_name", "mentee", "mentee_name", "form", "program",
            "organization", "across_organizations", "across_municipalities", "request", "status",
            "starts_on", "ends_on", "completed_on", "completed_early", "completion_reason",
            "goals", "outcome", "meetings", "version",
        ]  # fmt: skip
        read_only_fields = fields


class MentoringPairWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    class Meta:
        model = Pair
        fields = ["goals", "ends_on", "outcome"]


class PairCompleteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    completed_on = StrictDateField(required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Обязательна при досрочном завершении."
    )


class PairViewSet(ScopedModelViewSet):
    """Наставнические пары (и группы) области доступа: как наставник или наставляемый."""

    selector = staticmethod(selectors.pairs_for_list)
    filterset_class = PairFilterSet
    read_serializer_class = MentoringPairSerializer
    write_serializer_class = MentoringPairWriteSerializer
    update_service = staticmethod(services.pair_update)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("meetings")


def _pair_of(request, pk) -> Pair:
    pair = selectors.pairs_for_list(request.user).filter(pk=pk).first()
    if pair is None:
        raise Http404
    return pair


class PairCompleteView(APIView):
    """Завершить работу пары; до планового окончания — с причиной (досрочно)."""

    @extend_schema(
        request=PairCompleteSerializer, responses={200: MentoringPairSerializer, **STALE}
    )
    def post(self, request, pk):
        pair = _pair_of(request, pk)
        serializer = PairCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with service_errors():
            pair = services.pair_complete(
                request.user, pair, data, expected_version=data["version"]
            )
        return with_etag(Response(MentoringPairSerializer(_pair_of(request, pk)).data), pair)


class PairMeetingView(APIView):
    """Записать встречу в журнал пары."""

    @extend_schema(request=PairMeetingSerializer, responses={201: PairMeetingSerializer})
    def post(self, request, pk):
        pair = _pair_of(request, pk)
        serializer = PairMeetingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            meeting = services.meeting_add(request.user, pair, serializer.validated_data)
        return Response(PairMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


# -- programmes, curators, schools -----------------------------------------------------------
class MentoringProgramSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)

    class Meta:
        model = MentoringProgram
        fields = [
            "id", "organization", "organization_name", "title", "curator", "starts_on",
            "ends_on", "order", "version",
        ]  # fmt: skip
        read_only_fields = fields


class MentoringProgramWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(), queryset=Organization.objects.all()
    )
    curator = ScopedPrimaryKeyField(
        _people, queryset=Person.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = MentoringProgram
        fields = ["organization", "title", "curator", "starts_on", "ends_on", "order"]


class MentoringProgramViewSet(ScopedModelViewSet):
    """Программы наставничества организаций (ЦМН в ОО): куратор, период, приказ."""

    model = MentoringProgram
    filterset_class = ProgramFilterSet
    read_serializer_class = MentoringProgramSerializer
    write_serializer_class = MentoringProgramWriteSerializer
    create_service = staticmethod(services.program_create)
    update_service = staticmethod(services.program_update)

    def get_queryset(self):
        return super().get_queryset().select_related("organization").order_by("id")


class MentoringCuratorSerializer(serializers.ModelSerializer):
    level = CuratorLevelField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Curator
        fields = [
            "id", "person", "person_name", "level", "municipality", "organization", "starts_on",
            "ends_on", "version",
        ]  # fmt: skip
        read_only_fields = fields


class CuratorViewSet(ScopedModelViewSet):
    """Кураторы наставничества в ОО и муниципалитетах."""

    model = Curator
    filterset_class = CuratorFilterSet
    read_serializer_class = MentoringCuratorSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("person").order_by("id")


class MentoringSchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentoringSchool
        fields = ["id", "municipality", "name", "base", "founded_on", "closed_on", "version"]
        read_only_fields = fields


class MentoringSchoolViewSet(ScopedModelViewSet):
    """Муниципальные школы наставничества (C23)."""

    model = MentoringSchool
    filterset_class = SchoolFilterSet
    read_serializer_class = MentoringSchoolSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("id")


# -- matching ----------------------------------------------------------------------------------
class MentorMatchSerializer(serializers.Serializer):
    mentor_profile = serializers.IntegerField(source="profile.pk")
    mentor = serializers.IntegerField(source="profile.person_id")
    mentor_name = serializers.CharField(source="profile.person.full_name")
    covered = serializers.ListField(child=serializers.CharField())
    same_subject = serializers.ListField(child=serializers.CharField())
    same_organization = serializers.BooleanField()
    same_municipality = serializers.BooleanField()
    free = serializers.IntegerField()
    reason = serializers.CharField()


class MatchView(APIView):
    """Наставники для работника по дефицитам его последней диагностики: сначала закрывающие
    дефициты, того же предмета, затем той же организации и муниципалитета; только со
    свободными местами; с объяснением."""

    @extend_schema(responses=MentorMatchSerializer(many=True))
    def get(self, request, person_id):
        person = scope_of(request.user).people().filter(pk=person_id).first()
        if person is None:
            raise Http404
        matches = selectors.match_mentors(person)
        return Response(MentorMatchSerializer(matches, many=True).data)


ROUTES = [
    ("mentoring/mentors", MentorProfileViewSet, "api-mentor-profile"),
    ("mentoring/requests", MentorshipRequestViewSet, "api-mentorship-request"),
    ("mentoring/pairs", PairViewSet, "api-mentoring-pair"),
    ("mentoring/programs", MentoringProgramViewSet, "api-mentoring-program"),
    ("mentoring/curators", CuratorViewSet, "api-mentoring-curator"),
    ("mentoring/schools", MentoringSchoolViewSet, "api-mentoring-school"),
]
PATHS = [
    path(
        "mentoring/pairs/<int:pk>/complete/",
        PairCompleteView.as_view(),
        name="api-mentoring-pair-complete",
    ),
    path(
        "mentoring/pairs/<int:pk>/meetings/",
        PairMeetingView.as_view(),
        name="api-mentoring-pair-meetings",
    ),
    path("mentoring/match/<int:person_id>/", MatchView.as_view(), name="api-mentoring-match"),
]
