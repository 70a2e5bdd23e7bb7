from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "nms.support"
    label = "support"
    verbose_name = "Методическое сопровождение"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.registry.cards import register_panel
        from nms.support import access  # noqa: F401  (registers with the access registry)
        from nms.support.cards import person_panel

        register_nav(75, NavItem("support", "Сопровождение", "support-home", action="support.view"))
        register_panel(70, "support/_person_panel.html", person_panel)
