"""The REST API, mounted at /api/v1/ (see nms/urls.py): one router with every app's viewsets,
and the API views that are not viewsets (token, schema, imports, deficit maps).

Names are prefixed with "api-" (or "diag-" for the diagnostics): the pages already use
"person-list" and the like.
"""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from nms.accounts.api import MeView, ObtainTokenView
from nms.accounts.api_provisioning import IssueAccountsView
from nms.catalogs import api as catalogs
from nms.common.api_jobs import JobViewSet
from nms.deficits import api as deficits
from nms.diagnostics import api as diagnostics
from nms.events import api as events
from nms.exchange import api as exchange
from nms.itembank import api as itembank
from nms.mentoring import api as mentoring
from nms.monitoring import api as monitoring
from nms.outcomes import api as outcomes
from nms.portal import api as portal
from nms.programs import api as programs
from nms.registry import api as registry
from nms.roadmap import api as roadmap
from nms.routes import api as routes
from nms.staffing import api as staffing
from nms.support import api as support

# Apps above routes declare their resources in their api.py: ROUTES (viewsets) and PATHS.
APPS = (
    programs, events, support, mentoring, staffing, outcomes, exchange, monitoring, catalogs,
    roadmap, portal,
)  # fmt: skip

# An id in a path: digits only; one too big for the database is refused by the viewsets
# (nms.common.api.IdLookupMixin) or finds nothing (Django's lookups on integer fields).
ID_LOOKUP = r"[0-9]+"


class Router(DefaultRouter):
    """A DefaultRouter where a viewset registered with `format_suffixes=False` gets no `.json`
    style suffix paths: the registry's resources (and the root) have had them from the start,
    the later ones never did, and the published paths stay as they are.

    Every object's id in a path is digits (`ID_LOOKUP`, unless a viewset sets its own
    `lookup_value_regex`): /people/abc/ is not a URL (404) rather than a query with "abc"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.without_suffixes: set[type] = set()
        self._default_value_pattern = ID_LOOKUP

    def register(self, prefix, viewset, basename=None, *, format_suffixes=True):
        super().register(prefix, viewset, basename)
        if not format_suffixes:
            self.without_suffixes.add(viewset)

    def get_urls(self):
        urls = SimpleRouter.get_urls(self)
        plain = [url for url in urls if url.callback.cls in self.without_suffixes]
        suffixed = [url for url in urls if url.callback.cls not in self.without_suffixes]
        if self.include_root_view:
            root = path("", self.get_api_root_view(api_urls=urls), name=self.root_view_name)
            suffixed.append(root)
        if self.include_format_suffixes:
            suffixed = format_suffix_patterns(suffixed)
        return [*suffixed, *plain]


router = Router()

# -- registry ------------------------------------------------------------------------------------
router.register("municipalities", registry.MunicipalityViewSet, basename="api-municipality")
router.register("organizations", registry.OrganizationViewSet, basename="api-organization")
router.register("people", registry.PersonViewSet, basename="api-person")
router.register("employments", registry.EmploymentViewSet, basename="api-employment")
router.register("positions", registry.PositionViewSet, basename="api-position")
router.register("subjects", registry.SubjectViewSet, basename="api-subject")
router.register("choices", registry.ChoicesViewSet, basename="api-choices")


def register_plain(prefix, viewset, basename):
    router.register(prefix, viewset, basename, format_suffixes=False)


# -- diagnostics: the item bank, procedures, testing, results -----------------------------------
register_plain("diagnostics/areas", itembank.CompetencyAreaViewSet, "diag-area")
register_plain("diagnostics/items", itembank.ItemViewSet, "diag-item")
register_plain("diagnostics/procedures", diagnostics.ProcedureViewSet, "diag-procedure")
register_plain("diagnostics/attempts", diagnostics.AttemptViewSet, "diag-attempt")
register_plain("diagnostics/results", diagnostics.ResultViewSet, "diag-result")

# -- routes (ИОМ): templates/, items/ and reports/ first, their paths must be tried before a
# route's routes/{id}/ ----------------------------------------------------------------------------
register_plain("routes/templates", routes.RouteTemplateViewSet, "api-route-template")
register_plain("routes/items", routes.RouteItemViewSet, "api-route-item")
register_plain("routes/reports", routes.RouteReportViewSet, "api-route-report")
register_plain("routes", routes.RouteViewSet, "api-route")

# -- activities, support, mentoring, monitoring (each app's api.ROUTES) --------------------------
for app in APPS:
    for prefix, viewset, basename in app.ROUTES:
        register_plain(prefix, viewset, basename)

# -- background jobs (imports, big exports) --------------------------------------------------------
register_plain("jobs", JobViewSet, "api-job")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("accounts/issue/", IssueAccountsView.as_view(), name="api-accounts-issue"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start script as a file (no inline script); it styles itself inline.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    *router.urls,
    # -- imports ---------------------------------------------------------------------------------
    path("import/staff/", registry.StaffImportView.as_view(), name="api-import-staff"),
    path(
        "import/organizations/",
        registry.OrganizationImportView.as_view(),
        name="api-import-organizations",
    ),
    path(
        "diagnostics/import/",
        diagnostics.ResultsImportView.as_view(),
        name="api-results-import",
    ),
    # -- deficit maps and groups with similar deficits -------------------------------------------
    path("diagnostics/maps/", deficits.DeficitMapView.as_view(), name="api-deficit-map"),
    path("diagnostics/clusters/", deficits.ClustersView.as_view(), name="api-clusters"),
    path(
        "diagnostics/clusters/members/",
        deficits.ClusterMembersView.as_view(),
        name="api-cluster-members",
    ),
    *(app_path for app in APPS for app_path in app.PATHS),
]
