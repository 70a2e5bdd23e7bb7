"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

- /api/v1/programs/ — the catalogue (everyone reads their regions'; ЦНППМ and the administrator
  write, version-checked);
- /api/v1/programs/runs/ — runs (the same rights);
- /api/v1/programs/enrollments/ — enrollments in the user's scope; POST enrolls a person,
  POST …/{id}/complete/ records the completion, POST …/{id}/drop/ the drop-out.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.concurrency import ConflictSerializer, expected_version
from nms.itembank.models import CompetencyArea, SubCompetency
from nms.programs import selectors, services
from nms.programs.access import EDIT_CATALOGUE, ENROLL, enrollable_people
from nms.programs.filters import EnrollmentFilterSet, ProgrammeFilterSet, RunFilterSet
from nms.programs.models import Enrollment, Programme, Run, Topic
from nms.registry.models import Organization, Person, Subject


# -- programmes ---------------------------------------------------------------------------------
class ProgrammeSerializer(serializers.ModelSerializer):
    provider_label = serializers.CharField(read_only=True)
    topics = serializers.ListField(child=serializers.ChoiceField(Topic.choices), read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id", "region", "title", "kind", "hours", "format", "provider", "provider_name",
            "provider_label", "annotation", "in_federal_registry", "federal_number",
            "federal_since", "review_submitted_on", "review_outcome", "areas", "subcompetencies",
            "subjects", "audience", "topics", "origin", "status", "version",
        ]  # fmt: skip


class ProgrammeWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    provider = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
        label="Организация-разработчик",
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(Topic.choices), required=False, label="Темы"
    )
    areas = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CompetencyArea.objects.all(), required=False
    )
    subcompetencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=SubCompetency.objects.all(), required=False
    )
    subjects = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Subject.objects.all(), required=False
    )

    class Meta:
        model = Programme
        fields = [*services.PROGRAMME_FIELDS, *services.PROGRAMME_M2M]


class ProgrammeViewSet(ScopedModelViewSet):
    """Каталог программ ДПП регионов пользователя."""

    selector = staticmethod(selectors.programmes_for_list)
    filterset_class = ProgrammeFilterSet
    read_serializer_class = ProgrammeSerializer
    write_serializer_class = ProgrammeWriteSerializer
    scope_action = EDIT_CATALOGUE
    scope_message = services.NO_RIGHTS
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)


# -- runs ----------------------------------------------------------------------------------------
class ProgrammeRunSerializer(serializers.ModelSerializer):
    programme_title = serializers.CharField(source="programme.title", read_only=True)

    class Meta:
        model = Run
        fields = [
            "id", "programme", "programme_title", "starts_on", "ends_on", "place", "online",
            "group_name", "tutor", "version",
        ]  # fmt: skip


class ProgrammeRunWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Programme), queryset=Programme.objects.all()
    )
    tutor = ScopedPrimaryKeyField(
        lambda scope: scope.people(), queryset=Person.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Run
        fields = ["programme", "starts_on", "ends_on", "place", "online", "group_name", "tutor"]


def _run_create(user, data):
    data = dict(data)
    return services.run_create(user, data.pop("programme"), data)


def _run_update(user, run, data, expected_version=None):
    data = {k: v for k, v in data.items() if k != "programme"}
    return services.run_update(user, run, data, expected_version)


class RunViewSet(ScopedModelViewSet):
    """Потоки программ ДПП."""

    selector = staticmethod(selectors.runs_for_list)
    filterset_class = RunFilterSet
    read_serializer_class = ProgrammeRunSerializer
    write_serializer_class = ProgrammeRunWriteSerializer
    scope_action = EDIT_CATALOGUE
    scope_message = services.NO_RIGHTS
    create_service = staticmethod(_run_create)
    update_service = staticmethod(_run_update)


# -- enrollments ---------------------------------------------------------------------------------
class ProgrammeEnrollmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    programme = serializers.IntegerField(source="run.programme_id", read_only=True)
    programme_title = serializers.CharField(source="run.programme.title", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id", "run", "programme", "programme_title", "person", "person_name", "organization",
            "status", "enrolled_on", "completed_on", "certificate_number", "dropped_on",
            "drop_reason", "chosen_from_diagnostics", "team", "version",
        ]  # fmt: skip


class ProgrammeEnrollSerializer(serializers.Serializer):
    run = ScopedPrimaryKeyField(
        lambda scope: scope.visible(Run), queryset=Run.objects.all(), label="Поток"
    )
    person = ScopedPrimaryKeyField(
        enrollable_people, queryset=Person.objects.all(), label="Работник"
    )


class EnrollmentCompleteSerializer(serializers.Serializer):
    certificate_number = serializers.CharField(max_length=100, label="Номер удостоверения")
    completed_on = StrictDateField(label="Дата удостоверения")
    version = serializers.IntegerField(min_value=1, required=False)


class EnrollmentDropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False)


STALE = {409: ConflictSerializer}


class EnrollmentViewSet(ScopedModelViewSet):
    """Зачисления на потоки ДПП в области доступа: зачислить (POST), завершить, отчислить."""

    selector = staticmethod(selectors.enrollments_for_list)
    filterset_class = EnrollmentFilterSet
    read_serializer_class = ProgrammeEnrollmentSerializer
    create_serializer_class = ProgrammeEnrollSerializer
    scope_action = ENROLL
    scope_message = services.NO_RIGHTS

    def get_serializer_class(self):
        if self.action == "create":
            return ProgrammeEnrollSerializer
        if self.action == "complete":
            return EnrollmentCompleteSerializer
        if self.action == "drop":
            return EnrollmentDropSerializer
        return ProgrammeEnrollmentSerializer

    @extend_schema(
        request=ProgrammeEnrollSerializer, responses={201: ProgrammeEnrollmentSerializer}
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_service_create(self, data):
        with service_errors():
            return services.enroll(self.request.user, data["run"], data["person"])

    def _version(self, request, enrollment, data):
        return data.get("version") or expected_version(request, enrollment)

    @extend_schema(
        request=EnrollmentCompleteSerializer,
        responses={200: ProgrammeEnrollmentSerializer, **STALE},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Записать завершение обучения (номер и дата удостоверения); пункты ИОМ работника,
        указывающие на поток или программу, отмечаются выполненными."""
        enrollment = self.get_object()
        serializer = EnrollmentCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            services.enrollment_complete(
                request.user,
                enrollment,
                completed_on=data["completed_on"],
                certificate_number=data["certificate_number"],
                expected_version=self._version(request, enrollment, data),
            )
        return self._answer(enrollment, status.HTTP_200_OK)

    @extend_schema(
        request=EnrollmentDropSerializer, responses={200: ProgrammeEnrollmentSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """Отчислить работника с потока (причина — по желанию)."""
        enrollment = self.get_object()
        serializer = EnrollmentDropSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            services.enrollment_drop(
                request.user,
                enrollment,
                reason=data.get("reason", ""),
                expected_version=self._version(request, enrollment, data),
            )
        return self._answer(enrollment, status.HTTP_200_OK)


ROUTES = [
    ("programs/enrollments", EnrollmentViewSet, "api-program-enrollment"),
    ("programs/runs", RunViewSet, "api-program-run"),
    ("programs", ProgrammeViewSet, "api-program"),
]
PATHS = []
