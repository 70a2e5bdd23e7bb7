from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "nms.events"
    label = "events"
    verbose_name = "Мероприятия, конкурсы и стажировки"

    def ready(self):
        from nms.events import access  # noqa: F401  (registers with the access registry)
