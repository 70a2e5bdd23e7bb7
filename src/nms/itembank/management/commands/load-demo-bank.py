"""`nms load-demo-bank`: add the demo item bank (approved items) to the database."""

from django.core.management.base import BaseCommand

from nms.itembank.demo import load_demo_bank


class Command(BaseCommand):
    help = (
        "Добавить в банк демонстрационные задания (утверждённые) по всем областям компетенций "
        "и нескольким предметам. Задания с уже существующими шифрами пропускаются."
    )

    def handle(self, *args, **options):
        added = load_demo_bank()
        if added:
            self.stdout.write(self.style.SUCCESS(f"Добавлено заданий: {added}."))
        else:
            self.stdout.write("Демонстрационные задания уже есть в банке; ничего не добавлено.")
