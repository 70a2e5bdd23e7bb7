"""Staff schedules and vacancies, diplomas and profile match, target training and young
specialists."""

from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "nms.staffing"
    label = "staffing"
    verbose_name = "Кадровое обеспечение"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.registry.cards import register_panel
        from nms.staffing import (
            access,  # noqa: F401  (registers with the access registry)
            hooks,
        )

        register_nav(88, NavItem("staffing", "Кадры", "staffing-home", action=access.VIEW))
        register_panel(75, "staffing/_person_panel.html", hooks.person_panel)
