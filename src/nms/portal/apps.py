"""The public portal and what only it holds: innovation sites, professional communities, the
resource navigator, news."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nms.portal"
    label = "portal"
    verbose_name = "Открытый портал"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.portal import access  # noqa: F401  (registers with the access registry)

        register_nav(95, NavItem("portal", "Портал", "portal-home"))
