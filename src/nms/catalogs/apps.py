"""Effective practices and methodical materials: submission, expert review, publication,
replication."""

from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "nms.catalogs"
    label = "catalogs"
    verbose_name = "Банки практик и методических материалов"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.catalogs import (
            access,  # noqa: F401  (registers with the access registry)
            hooks,
        )
        from nms.registry.cards import register_panel

        register_panel(75, "catalogs/_person_panel.html", hooks.person_panel)
        register_nav(82, NavItem("catalogs", "Практики", "catalogs-practice-list"))
