"""`nms load-demo-bank [--seed N]`: add the demo item bank (approved items) to the database."""

from django.core.management.base import BaseCommand

from nms.diagnostics.demo_bank import load_demo_bank


class Command(BaseCommand):
    help = (
        "Добавить в банк демонстрационные задания (утверждённые) по всем областям компетенций "
        "и нескольким предметам. Задания с уже существующими шифрами пропускаются."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="зерно перемешивания вариантов")

    def handle(self, *args, seed, **options):
        added = load_demo_bank(seed)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Добавлено заданий: {added}."))
        else:
            self.stdout.write("Демонстрационные задания уже есть в банке; ничего не добавлено.")
