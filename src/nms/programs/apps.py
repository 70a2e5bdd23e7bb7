from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "nms.programs"
    label = "programs"
    verbose_name = "Программы повышения квалификации (ДПП)"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.programs import access  # noqa: F401  (registers with the access registry)
        from nms.programs.selectors import person_panel, suggestion_source
        from nms.registry.cards import register_panel
        from nms.routes.suggestions import SOURCES

        register_nav(65, NavItem("programs", "Обучение", "program-list"))
        register_panel(20, "programs/_person_panel.html", person_panel)
        if suggestion_source not in SOURCES:
            SOURCES.insert(0, suggestion_source)
