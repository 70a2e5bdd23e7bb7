from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "nms.mentoring"
    label = "mentoring"
    verbose_name = "Наставничество (целевая модель)"

    def ready(self):
        from nms.mentoring import access  # noqa: F401  (registers with the access registry)
