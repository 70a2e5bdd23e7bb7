"""The ИОМ REST API, mounted at /api/v1/routes/ (see nms/urls.py).

The routes themselves sit at the root, so `templates/`, `items/` and `reports/` are registered
first: their paths must be tried before a route's `{id}/`.
"""

from rest_framework.routers import SimpleRouter

from nms.routes import api

router = SimpleRouter()
router.register("templates", api.RouteTemplateViewSet, basename="api-route-template")
router.register("items", api.RouteItemViewSet, basename="api-route-item")
router.register("reports", api.RouteReportViewSet, basename="api-route-report")
router.register("", api.RouteViewSet, basename="api-route")

urlpatterns = router.urls
