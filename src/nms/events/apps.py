from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "nms.events"
    label = "events"
    verbose_name = "Мероприятия, конкурсы и стажировки"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.events import (
            access,  # noqa: F401  (registers with the access registry)
            suggestions,
        )
        from nms.registry.cards import register_panel

        register_nav(70, NavItem("events", "Мероприятия", "event-list"))
        register_panel(50, "events/_person_panel.html", person_panel)
        suggestions.register()


def person_panel(user, person):
    from nms.events.selectors import person_history

    return person_history(user, person)
