"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths.

Reads start from the user's scope (selectors), writes go through `nms.events.services`.
"""

from rest_framework import serializers

from nms.common.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDatesMixin,
    service_errors,
)
from nms.events import selectors, services
from nms.events.access import EDIT, RECORD, SITES
from nms.events.filters import (
    EventFilterSet,
    InternshipFilterSet,
    ParticipationFilterSet,
    SiteFilterSet,
)
from nms.events.models import Event, Internship, InternshipSite, Participation, Topic
from nms.itembank.models import CompetencyArea
from nms.registry.models import Municipality, Organization, Person


def _topics():
    return serializers.ListField(
        child=serializers.ChoiceField(Topic.choices), required=False, label="Темы (коды)"
    )


def _areas():
    return serializers.PrimaryKeyRelatedField(
        many=True, queryset=CompetencyArea.objects.all(), required=False
    )


# -- events ------------------------------------------------------------------------------------
class EventSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)
    organizer_display = serializers.CharField(read_only=True)
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id", "title", "kind", "level", "starts_on", "ends_on", "region", "municipality",
            "organizer", "organizer_name", "organizer_display", "place", "online",
            "description", "topics", "areas", "nominations", "horizontal_learning",
            "burnout_prevention", "for_low_results", "version",
        ]  # fmt: skip


class EventWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organizer = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(),
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
    )
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )
    topics = _topics()
    areas = _areas()

    class Meta:
        model = Event
        fields = [*services.EVENT_FIELDS, "areas"]


class EventViewSet(ScopedModelViewSet):
    """Каталог мероприятий региона (читают все вошедшие; ведут ЦНППМ, МОУО, ОО — свои)."""

    selector = staticmethod(lambda user: selectors.events_for_list(user).prefetch_related("areas"))
    filterset_class = EventFilterSet
    read_serializer_class = EventSerializer
    write_serializer_class = EventWriteSerializer
    scope_action = EDIT
    create_service = staticmethod(services.event_create)
    update_service = staticmethod(services.event_update)


# -- participation -----------------------------------------------------------------------------
class ParticipationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id", "event", "event_title", "person", "person_name", "organization", "role",
            "stage", "nomination", "version",
        ]  # fmt: skip


class ParticipationWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participation
        fields = ["role", "stage", "nomination"]


class ParticipationCreateSerializer(serializers.ModelSerializer):
    event = ScopedPrimaryKeyField(lambda scope: scope.visible(Event), queryset=Event.objects.all())
    person = ScopedPrimaryKeyField(lambda scope: scope.people(), queryset=Person.objects.all())

    class Meta:
        model = Participation
        fields = ["event", "person", "role", "stage", "nomination"]
        validators = []  # the service answers a repeated participation in Russian


class ParticipationViewSet(ScopedModelViewSet):
    """Участие работников в мероприятиях (роль, этап и номинация конкурса)."""

    selector = staticmethod(selectors.participations_for_list)
    filterset_class = ParticipationFilterSet
    read_serializer_class = ParticipationSerializer
    write_serializer_class = ParticipationWriteSerializer
    create_serializer_class = ParticipationCreateSerializer
    scope_action = RECORD
    update_service = staticmethod(services.participation_update)
    destroy_service = staticmethod(services.participation_delete)

    def perform_service_create(self, data):
        event = data.pop("event")
        with service_errors():
            return services.participation_record(self.request.user, event, data)


# -- internship sites --------------------------------------------------------------------------
class SiteSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = InternshipSite
        fields = [
            "id", "organization", "organization_name", "region", "starts_on", "ends_on",
            "order_number", "order_date", "programmes", "programmes_updated_on", "topics",
            "areas", "version",
        ]  # fmt: skip


class SiteWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(), queryset=Organization.objects.all()
    )
    topics = _topics()
    areas = _areas()

    class Meta:
        model = InternshipSite
        fields = [*services.SITE_FIELDS, "areas"]


class SiteViewSet(ScopedModelViewSet):
    """Стажировочные площадки (статус по итогам конкурсного отбора)."""

    selector = staticmethod(selectors.sites_for_list)
    filterset_class = SiteFilterSet
    read_serializer_class = SiteSerializer
    write_serializer_class = SiteWriteSerializer
    scope_action = SITES
    create_service = staticmethod(services.site_create)
    update_service = staticmethod(services.site_update)


# -- internships -------------------------------------------------------------------------------
class InternshipSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Internship
        fields = [
            "id", "site", "person", "person_name", "organization", "programme", "starts_on",
            "ends_on", "completed", "version",
        ]  # fmt: skip


class InternshipWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    class Meta:
        model = Internship
        fields = ["programme", "starts_on", "ends_on", "completed"]


class InternshipCreateSerializer(StrictDatesMixin, serializers.ModelSerializer):
    site = ScopedPrimaryKeyField(
        lambda scope: scope.visible(InternshipSite), queryset=InternshipSite.objects.all()
    )
    person = ScopedPrimaryKeyField(lambda scope: scope.people(), queryset=Person.objects.all())

    class Meta:
        model = Internship
        fields = ["site", "person", "programme", "starts_on", "ends_on", "completed"]


class InternshipViewSet(ScopedModelViewSet):
    """Стажировки работников на стажировочных площадках."""

    selector = staticmethod(selectors.internships_for_list)
    filterset_class = InternshipFilterSet
    read_serializer_class = InternshipSerializer
    write_serializer_class = InternshipWriteSerializer
    create_serializer_class = InternshipCreateSerializer
    scope_action = RECORD
    update_service = staticmethod(services.internship_update)

    def perform_service_create(self, data):
        site = data.pop("site")
        with service_errors():
            return services.internship_record(self.request.user, site, data)


ROUTES = [
    ("events/participations", ParticipationViewSet, "api-participation"),
    ("events/internships", InternshipViewSet, "api-internship"),
    ("events/sites", SiteViewSet, "api-internship-site"),
    ("events", EventViewSet, "api-event"),
]
PATHS = []
