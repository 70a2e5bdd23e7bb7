"""The roadmap of measures with statuses per reporting period, agreements and the register of the
system's documents."""

from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "nms.roadmap"
    label = "roadmap"
    verbose_name = "Дорожная карта, соглашения и документы"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.roadmap import access  # noqa: F401  (registers with the access registry)

        register_nav(
            87, NavItem("roadmap", "Дорожная карта", "roadmap-list", action="roadmap.view")
        )
