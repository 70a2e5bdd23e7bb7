"""The registry's REST API: thin serializers and viewsets.

Reads start from the user's scope (selectors), writes go through `nms.registry.services`; the only
work done here is turning JSON into the services' arguments and their errors into HTTP answers.
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.identifiers import normalize_snils, snils_error
from nms.registry import selectors, services
from nms.registry.filters import EmploymentFilterSet, OrganizationFilterSet, PersonFilterSet
from nms.registry.import_api import (  # noqa: F401 -- mounted from here in nms/api_urls.py
    OrganizationImportView,
    StaffImportView,
)
from nms.registry.models import (
    Category,
    EducationLevel,
    Employment,
    ManagerKind,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Sex,
    Subject,
)

EXPERIENCE = {"max_digits": 4, "decimal_places": 1, "read_only": True}


# Dates: ДД.ММ.ГГГГ or ГГГГ-ММ-ДД, two-digit day and month (StrictDatesMixin, nms.common.api).
# Writes only for roles that may change the registry at all (`scope_action`); whether the given
# object may be changed is decided by the service.


# -- dictionaries ------------------------------------------------------------------------------
class MunicipalitySerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "name", "oktmo", "region", "region_name"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "name", "is_pedagogical"]


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["id", "name"]


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


CHOICES = {
    "organization_kinds": OrganizationKind,
    "categories": Category,
    "manager_kinds": ManagerKind,
    "education_levels": EducationLevel,
    "sexes": Sex,
}

ChoicesSerializer = inline_serializer(
    "Choices", {name: ChoiceSerializer(many=True) for name in CHOICES}
)


# -- organizations -----------------------------------------------------------------------------
class OrganizationSerializer(serializers.ModelSerializer):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    staff_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "short_name",
            "full_name",
            "inn",
            "kind",
            "municipality",
            "municipality_name",
            "is_low_results",
            "is_unfavourable",
            "staff_count",
        ]


class OrganizationWriteSerializer(serializers.ModelSerializer):
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        label="Муниципалитет",
    )

    class Meta:
        model = Organization
        fields = list(services.ORGANIZATION_FIELDS)
        # The service checks the identifiers and uniqueness, with its own messages.
        extra_kwargs = {"inn": {"validators": []}}
        validators = []


# -- employments -------------------------------------------------------------------------------
class EmploymentRowSerializer(serializers.ModelSerializer):
    """An employment inside a person's row: built from the prefetched data only."""

    organization_short_name = serializers.CharField(
        source="organization.short_name", read_only=True
    )
    municipality = serializers.IntegerField(source="organization.municipality_id", read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True)
    subjects = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    experience_today = serializers.DecimalField(source="experience_on", **EXPERIENCE)

    class Meta:
        model = Employment
        fields = [
            "id",
            "organization",
            "organization_short_name",
            "municipality",
            "position",
            "position_name",
            "manager_kind",
            "subjects",
            "category",
            "is_part_time",
            "teaching_load",
            "experience_today",
        ]
        read_only_fields = fields


class EmploymentSerializer(EmploymentRowSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    subject_ids = serializers.PrimaryKeyRelatedField(source="subjects", many=True, read_only=True)

    class Meta(EmploymentRowSerializer.Meta):
        fields = [
            "id",
            "person",
            "person_name",
            *EmploymentRowSerializer.Meta.fields[1:],
            "subject_ids",
            "category_date",
            "experience_years",
            "experience_as_of",
            "hire_date",
        ]
        read_only_fields = fields


class EmploymentFieldsSerializer(StrictDatesMixin, serializers.ModelSerializer):
    """What a service takes for an employment (without the person)."""

    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        label="Организация",
    )
    subjects = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Subject.objects.all(), required=False, label="Предметы"
    )

    class Meta:
        model = Employment
        fields = [*services.EMPLOYMENT_FIELDS, "subjects"]
        validators = []


class EmploymentCreateSerializer(EmploymentFieldsSerializer):
    person = ScopedPrimaryKeyField(
        lambda scope: scope.people(), queryset=Person.objects.all(), label="Работник"
    )

    class Meta(EmploymentFieldsSerializer.Meta):
        fields = ["person", *EmploymentFieldsSerializer.Meta.fields]


# -- people ------------------------------------------------------------------------------------
class PersonSerializer(serializers.ModelSerializer):
    """A person's row; the derived values are computed from the prefetched employments."""

    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True)
    experience_years = serializers.DecimalField(allow_null=True, **EXPERIENCE)
    is_young_teacher = serializers.BooleanField(read_only=True)
    is_manager = serializers.BooleanField(read_only=True)
    employments = EmploymentRowSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            *services.PERSON_FIELDS,
            "age",
            "experience_years",
            "is_young_teacher",
            "is_manager",
            "employments",
        ]
        read_only_fields = fields


class PersonWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = list(services.PERSON_FIELDS)
        # The service normalizes and checks СНИЛС and its uniqueness, with its own messages.
        extra_kwargs = {"snils": {"validators": []}}
        validators = []


class PersonCreateSerializer(PersonWriteSerializer):
    employment = EmploymentFieldsSerializer(
        required=False, label="Место работы", help_text="Первое место работы нового работника."
    )

    class Meta(PersonWriteSerializer.Meta):
        fields = [*PersonWriteSerializer.Meta.fields, "employment"]


class PersonSearchSerializer(serializers.Serializer):
    snils = serializers.CharField(label="СНИЛС", help_text="11 цифр, с разделителями или без")

    def validate_snils(self, value):
        if error := snils_error(value):
            raise serializers.ValidationError(error[0].upper() + error[1:] + ".")
        return normalize_snils(value)


# -- viewsets ----------------------------------------------------------------------------------
class PersonViewSet(ScopedModelViewSet):
    """Работники в области доступа пользователя, с местами работы."""

    selector = staticmethod(selectors.people_for_list)
    filterset_class = PersonFilterSet
    read_serializer_class = PersonSerializer
    write_serializer_class = PersonWriteSerializer
    create_serializer_class = PersonCreateSerializer
    scope_action = "registry.edit_people"
    scope_message = services.NO_RIGHTS
    update_service = staticmethod(services.person_update)

    def perform_service_create(self, data):
        employment = data.pop("employment", None)
        fields = [*services.EMPLOYMENT_FIELDS, "subjects"]
        with service_errors(nested="employment", nested_fields=fields):
            return services.person_create(self.request.user, data, employment)

    @extend_schema(
        summary="Поиск работника по СНИЛС",
        description="СНИЛС в теле запроса, а не в адресе (адреса попадают в журналы и историю "
        "браузера); ответ — как у списка работников, в области доступа пользователя.",
        request=PersonSearchSerializer,
        responses=PersonSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="search",
        permission_classes=[IsAuthenticated],  # a read: any user, within their scope
    )
    def search(self, request):
        query = PersonSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        people = self.get_queryset().filter(snils=query.validated_data["snils"])
        page = self.paginate_queryset(people)
        context = self.get_serializer_context()
        if page is not None:
            data = PersonSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        return Response(PersonSerializer(people, many=True, context=context).data)


class OrganizationViewSet(ScopedModelViewSet):
    """Организации в области доступа пользователя."""

    selector = staticmethod(selectors.organizations_for_list)
    filterset_class = OrganizationFilterSet
    read_serializer_class = OrganizationSerializer
    write_serializer_class = OrganizationWriteSerializer
    scope_action = "registry.edit_organizations"
    scope_message = services.NO_RIGHTS
    create_service = staticmethod(services.organization_create)
    update_service = staticmethod(services.organization_update)


class EmploymentViewSet(ScopedModelViewSet):
    """Места работы работников, видимых пользователю."""

    selector = staticmethod(selectors.employments_for_list)
    filterset_class = EmploymentFilterSet
    read_serializer_class = EmploymentSerializer
    write_serializer_class = EmploymentFieldsSerializer
    create_serializer_class = EmploymentCreateSerializer
    scope_action = "registry.edit_people"
    scope_message = services.NO_RIGHTS
    update_service = staticmethod(services.employment_update)
    destroy_service = staticmethod(services.employment_delete)

    def perform_service_create(self, data):
        person = data.pop("person")
        with service_errors():
            return services.employment_create(self.request.user, person, data)


class MunicipalityViewSet(ScopedModelViewSet):
    """Муниципальные образования в области доступа пользователя."""

    selector = staticmethod(
        lambda user: selectors.municipalities_visible(user).select_related("region")
    )
    read_serializer_class = MunicipalitySerializer


class PositionViewSet(ScopedModelViewSet):
    """Справочник должностей."""

    queryset = Position.objects.all()  # a dictionary: no territory, the same for everyone
    read_serializer_class = PositionSerializer


class SubjectViewSet(ScopedModelViewSet):
    """Справочник предметов."""

    queryset = Subject.objects.all()  # a dictionary: no territory, the same for everyone
    read_serializer_class = SubjectSerializer


class ChoicesViewSet(viewsets.ViewSet):
    """Значения перечислений реестра (значение и подпись)."""

    single_object = True  # one object of lists, not a list (nms.common.api.AutoSchema)

    @extend_schema(responses=ChoicesSerializer)
    def list(self, request):
        return Response(
            {
                name: [{"value": value, "label": label} for value, label in choices.choices]
                for name, choices in CHOICES.items()
            }
        )
