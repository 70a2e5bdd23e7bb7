"""The app's API resources, mounted by nms/api_urls.py: ROUTES (prefix, viewset, basename) and
PATHS (url patterns)."""

ROUTES = []
PATHS = []
