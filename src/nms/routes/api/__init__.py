"""The ИОМ REST API: serializers in `serializers`, viewsets in `views`; the viewsets are
registered in the one API router (nms/api_urls.py) under routes/."""

from nms.routes.api.views import (
    RouteItemViewSet,
    RouteReportViewSet,
    RouteTemplateViewSet,
    RouteViewSet,
)

__all__ = ["RouteItemViewSet", "RouteReportViewSet", "RouteTemplateViewSet", "RouteViewSet"]
