from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "nms.mentoring"
    label = "mentoring"
    verbose_name = "Наставничество (целевая модель)"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.mentoring import (
            access,  # noqa: F401  (registers with the access registry)
            hooks,
        )
        from nms.registry.cards import register_panel
        from nms.routes.suggestions import SOURCES

        register_nav(80, NavItem("mentoring", "Наставничество", "mentoring-home"))
        register_panel(70, "mentoring/_person_panel.html", hooks.person_panel)
        if hooks.mentor_source not in SOURCES:
            SOURCES.insert(1, hooks.mentor_source)
