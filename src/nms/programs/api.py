"""The app's API: `ROUTES` are (prefix, viewset, basename) registered on /api/v1/ by
nms/api_urls.py; `PATHS` are its other API paths."""

ROUTES = []
PATHS = []
