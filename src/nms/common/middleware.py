"""Security headers Django does not set itself, and the client's address behind a proxy."""

from django.conf import settings

from nms.common.errors import ErrorPagesMiddleware  # noqa: F401  (settings.MIDDLEWARE names it here)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` (settings.PERMISSIONS_POLICY) on every answer: no camera, microphone or
    geolocation for the site or anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


def client_ip(request) -> str | None:
    """The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

    Without NMS_PROXY_IP_HEADER: REMOTE_ADDR. With it (behind a reverse proxy): that header; in a
    list such as X-Forwarded-For the proxies append, so the address NMS_PROXY_COUNT from the right
    is the one our own proxy saw — the entries on its left are the client's to forge."""
    header = getattr(settings, "NMS_PROXY_IP_HEADER", "")
    remote = request.META.get("REMOTE_ADDR")
    if not header:
        return remote
    addresses = [a.strip() for a in request.META.get(header, "").split(",") if a.strip()]
    if not addresses:
        return remote
    count = getattr(settings, "NMS_PROXY_COUNT", 1)
    return addresses[-count] if len(addresses) >= count else addresses[0]
