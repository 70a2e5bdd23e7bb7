"""The diagnostics REST API, mounted at /api/v1/diagnostics/ (see nms/urls.py).

A SimpleRouter has no root view, so paths it does not know (import/, maps/, clusters/) fall
through to the other diagnostics routes.
"""

from rest_framework.routers import SimpleRouter

from nms.diagnostics import api

router = SimpleRouter()
router.register("areas", api.CompetencyAreaViewSet, basename="diag-area")
router.register("items", api.ItemViewSet, basename="diag-item")
router.register("procedures", api.ProcedureViewSet, basename="diag-procedure")
router.register("attempts", api.AttemptViewSet, basename="diag-attempt")
router.register("results", api.ResultViewSet, basename="diag-result")

urlpatterns = router.urls
