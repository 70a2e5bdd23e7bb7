"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns).

- portal/innovation-sites — innovation sites of the scope's regions; an application is created
  and changed through the services (the ЦНППМ/ministry or the municipal coordinator of the
  organization's municipality); `{id}/decide/` records the selection's decision; one site
  (`{id}/`) carries its documents, each with whether the public portal shows it and then its
  public download address (selectors.public_site_documents);
- portal/communities — professional communities with their members (names and roles);
- portal/resources — the navigator of educational resources; `import/` takes an XLSX file in the
  layout of the export (multipart field `file`): 200 with the report, 400 with every error
  (nothing saved), 403 for those who may not import, 202 with a job for a big file;
- portal/news — news.
Reads: everyone signed in, the items of their regions; writes as on the pages.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from nms.common.api import (
    ImportFileSerializer,
    ScopedModelViewSet,
    ScopedPrimaryKeyField,
    StrictDateField,
    StrictDatesMixin,
    service_errors,
)
from nms.common.api_imports import ImportReportSerializer, import_response
from nms.common.api_jobs import JobSerializer
from nms.common.concurrency import ConflictSerializer, expected_version, with_etag
from nms.events.models import Event
from nms.portal import importers, selectors, services
from nms.portal.filters import CommunityFilterSet, NewsFilterSet, ResourceFilterSet, SiteFilterSet
from nms.portal.models import (
    Audience,
    Community,
    CommunityKind,
    CommunityLevel,
    CommunityMember,
    DecisionBody,
    DocumentKind,
    InnovationSite,
    MemberRole,
    News,
    Resource,
    ResourceKind,
    SiteDocument,
    SiteStatus,
)
from nms.registry.models import Municipality, Organization, Subject

STALE = {409: ConflictSerializer}


def _enum_field(component: str, choices) -> type[serializers.ChoiceField]:
    @extend_schema_field(serializers.ChoiceField(choices=choices), component_name=component)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


SiteStatusField = _enum_field("PortalSiteStatusEnum", SiteStatus.choices)
DocumentKindField = _enum_field("PortalDocumentKindEnum", DocumentKind.choices)
DecisionBodyField = _enum_field("PortalDecisionBodyEnum", DecisionBody.choices)
CommunityKindField = _enum_field("PortalCommunityKindEnum", CommunityKind.choices)
CommunityLevelField = _enum_field("PortalCommunityLevelEnum", CommunityLevel.choices)
MemberRoleField = _enum_field("PortalMemberRoleEnum", MemberRole.choices)
ResourceKindField = _enum_field("PortalResourceKindEnum", ResourceKind.choices)
AudienceField = _enum_field("PortalAudienceEnum", Audience.choices)


# -- innovation sites --------------------------------------------------------------------------
class InnovationSiteSerializer(serializers.ModelSerializer):
    status = SiteStatusField(read_only=True)
    decided_by = DecisionBodyField(read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)

    class Meta:
        model = InnovationSite
        fields = [
            "id", "organization", "organization_name", "project", "topic", "description",
            "starts_on", "ends_on", "status", "applied_on", "decided_by", "order_number",
            "order_date", "decision_comment", "version",
        ]  # fmt: skip
        read_only_fields = fields


class SiteDocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField(read_only=True)
    filename = serializers.CharField(read_only=True)
    public = serializers.BooleanField(read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = SiteDocument
        fields = ["id", "kind", "year", "filename", "uploaded_at", "public", "public_url"]
        read_only_fields = fields

    def get_public_url(self, document) -> str | None:
        """The download address on the public portal (no login), null when it is not public."""
        if not document.public:
            return None
        url = reverse("portal-site-document", args=[document.site_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class InnovationSiteDetailSerializer(InnovationSiteSerializer):
    """One site with its documents, each marked whether the public portal shows it (the list
    gives the sites alone)."""

    documents = serializers.SerializerMethodField()

    class Meta(InnovationSiteSerializer.Meta):
        fields = [*InnovationSiteSerializer.Meta.fields, "documents"]
        read_only_fields = fields

    @extend_schema_field(SiteDocumentSerializer(many=True))
    def get_documents(self, site):
        documents = selectors.site_documents(site)
        return SiteDocumentSerializer(documents, many=True, context=self.context).data


class InnovationSiteWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    organization = ScopedPrimaryKeyField(
        lambda scope: scope.organizations(), queryset=Organization.objects.all()
    )

    class Meta:
        model = InnovationSite
        fields = [
            "organization", "project", "topic", "description", "starts_on", "ends_on",
            "applied_on",
        ]  # fmt: skip


class SiteDecisionSerializer(serializers.Serializer):
    status = SiteStatusField()
    decided_by = DecisionBodyField()
    order_number = serializers.CharField(max_length=50)
    order_date = StrictDateField()
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False)


class InnovationSiteViewSet(ScopedModelViewSet):
    """Региональные инновационные площадки: заявки, решения отбора, проекты."""

    selector = staticmethod(selectors.sites_for_list)
    filterset_class = SiteFilterSet
    read_serializer_class = InnovationSiteSerializer
    write_serializer_class = InnovationSiteWriteSerializer
    create_service = staticmethod(services.site_create)
    update_service = staticmethod(services.site_update)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return InnovationSiteDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        request=SiteDecisionSerializer, responses={200: InnovationSiteSerializer, **STALE}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Решение по отбору (ЦНППМ или министерство): статус, приказ — номер и дата."""
        site = self.get_object()
        serializer = SiteDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None) or expected_version(request, site)
        with service_errors():
            site = services.site_decide(request.user, site, data, version)
        site = self.get_queryset().get(pk=site.pk)
        return with_etag(Response(InnovationSiteSerializer(site).data), site)


# -- communities -------------------------------------------------------------------------------
class CommunityMemberSerializer(serializers.ModelSerializer):
    role = MemberRoleField(read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = CommunityMember
        fields = ["id", "person", "name", "role", "joined_on"]
        read_only_fields = fields


class CommunitySerializer(serializers.ModelSerializer):
    kind = CommunityKindField(read_only=True)
    level = CommunityLevelField(read_only=True)

    class Meta:
        model = Community
        fields = [
            "id", "name", "kind", "level", "municipality", "topic", "description", "subjects",
            "links", "events", "founded_on", "published", "version",
        ]  # fmt: skip
        read_only_fields = fields


class CommunityDetailSerializer(CommunitySerializer):
    """One community with its members (the list gives the communities alone)."""

    members = serializers.SerializerMethodField()

    class Meta(CommunitySerializer.Meta):
        fields = [*CommunitySerializer.Meta.fields, "members"]
        read_only_fields = fields

    @extend_schema_field(CommunityMemberSerializer(many=True))
    def get_members(self, community):
        """Everyone to those who may edit it; the leaders and one's own people to the others."""
        request = self.context.get("request")
        if request is None:
            return []
        members = selectors.members_of(request.user, community)
        return CommunityMemberSerializer(members, many=True).data


def _events(scope):
    if scope.is_all:
        return Event.objects.all()
    return Event.objects.filter(region_id__in=sorted(scope.region_ids))


class CommunityWriteSerializer(StrictDatesMixin, serializers.ModelSerializer):
    kind = CommunityKindField()
    level = CommunityLevelField()
    municipality = ScopedPrimaryKeyField(
        lambda scope: scope.municipalities(),
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=Subject.objects.all(), many=True, required=False
    )
    events = ScopedPrimaryKeyField(_events, queryset=Event.objects.all(), many=True, required=False)

    class Meta:
        model = Community
        fields = [
            "name", "kind", "level", "municipality", "topic", "description", "subjects",
            "links", "events", "founded_on", "published",
        ]  # fmt: skip


class CommunityViewSet(ScopedModelViewSet):
    """Профессиональные сообщества: вид, уровень, тематика, участники и руководители."""

    selector = staticmethod(selectors.communities_for_list)
    filterset_class = CommunityFilterSet
    read_serializer_class = CommunitySerializer
    write_serializer_class = CommunityWriteSerializer
    create_service = staticmethod(services.community_create)
    update_service = staticmethod(services.community_update)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("subjects", "events").order_by("name", "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CommunityDetailSerializer
        return super().get_serializer_class()


# -- the navigator and news --------------------------------------------------------------------
class ResourceSerializer(serializers.ModelSerializer):
    kind = ResourceKindField()
    audience = AudienceField(required=False)

    class Meta:
        model = Resource
        fields = [
            "id", "title", "kind", "url", "description", "tags", "audience", "published",
            "version",
        ]  # fmt: skip
        read_only_fields = ["id", "version"]


class ResourceViewSet(ScopedModelViewSet):
    """Навигатор образовательных ресурсов."""

    selector = staticmethod(selectors.resources_for_list)
    filterset_class = ResourceFilterSet
    read_serializer_class = ResourceSerializer
    write_serializer_class = ResourceSerializer
    create_service = staticmethod(services.resource_create)
    update_service = staticmethod(services.resource_update)

    def get_queryset(self):
        return super().get_queryset().order_by("title", "pk")

    @extend_schema(
        summary="Загрузить навигатор ресурсов из XLSX",
        request={"multipart/form-data": ImportFileSerializer},
        responses={200: ImportReportSerializer, 202: JobSerializer, 400: ImportReportSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def resources_import(self, request):
        """Добавить ресурсы и обновить известные по адресу из XLSX в формате выгрузки (файл в
        поле file): 200 — отчёт, 400 — все ошибки (ничего не сохранено), 403 — нет прав;
        файл больше NMS_EXPORT_SYNC_LIMIT строк загружается в фоне (202, задача)."""
        if importers.import_region(request.user) is None:
            raise PermissionDenied(importers.NO_RIGHTS)
        return import_response(
            request,
            run=lambda upload: importers.resources_import(request.user, upload),
            job_kind=f"import_{importers.KIND}",
            job_title="Импорт: навигатор ресурсов из файла «{name}»",
            job_work=importers.import_job,
            job_params={"kind": importers.KIND},
        )


class NewsSerializer(StrictDatesMixin, serializers.ModelSerializer):
    class Meta:
        model = News
        fields = ["id", "title", "published_on", "text", "published", "version"]
        read_only_fields = ["id", "version"]


class NewsViewSet(ScopedModelViewSet):
    """Новости региональной системы."""

    selector = staticmethod(selectors.news_for_list)
    filterset_class = NewsFilterSet
    read_serializer_class = NewsSerializer
    write_serializer_class = NewsSerializer
    create_service = staticmethod(services.news_create)
    update_service = staticmethod(services.news_update)

    def get_queryset(self):
        return super().get_queryset().order_by("-published_on", "-pk")


ROUTES = [
    ("portal/innovation-sites", InnovationSiteViewSet, "api-innovation-site"),
    ("portal/communities", CommunityViewSet, "api-community"),
    ("portal/resources", ResourceViewSet, "api-portal-resource"),
    ("portal/news", NewsViewSet, "api-portal-news"),
]
PATHS = []
