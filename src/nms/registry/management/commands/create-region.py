"""`nms create-region CODE_OR_NAME`: start a region from the directory of subjects of the RF."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nms.registry.services import region_create_from_directory


class Command(BaseCommand):
    help = (
        "Создать регион по справочнику субъектов РФ: по коду ОКТМО субъекта (например, 95) "
        "или по наименованию (например, «Республика Хакасия»)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "subject", nargs="+", help="код ОКТМО субъекта РФ (2 или 3 цифры) или наименование"
        )

    def handle(self, *args, subject, **options):
        try:
            region, created = region_create_from_directory(None, " ".join(subject))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Создан регион «{region.name}» (код {region.code}).")
            )
        else:
            self.stdout.write(f"Регион «{region.name}» уже существует.")
