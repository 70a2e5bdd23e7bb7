"""Students' assessment results aggregated per teacher (no student's identity) and the positive
dynamics after a route."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "nms.outcomes"
    label = "outcomes"
    verbose_name = "Результаты обучающихся"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.outcomes import access  # noqa: F401  (registers with the access registry)
        from nms.outcomes.cards import person_panel
        from nms.registry.cards import register_panel

        register_nav(
            89,
            NavItem(
                "outcomes", "Результаты обучающихся", "outcomes-result-list", action=access.VIEW
            ),
        )
        register_panel(75, "outcomes/_person_panel.html", person_panel)
