"""The public portal and what only it holds: innovation sites, professional communities, the
resource navigator, news."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nms.portal"
    label = "portal"
    verbose_name = "Открытый портал"
