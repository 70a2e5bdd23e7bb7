from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "nms.programs"
    label = "programs"
    verbose_name = "Программы повышения квалификации (ДПП)"

    def ready(self):
        from nms.programs import access  # noqa: F401  (registers with the access registry)
