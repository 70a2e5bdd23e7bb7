from django.core.management.base import BaseCommand

from nms.routes.reminders import record_reminders


class Command(BaseCommand):
    help = "Записать просроченные пункты ИОМ и маршруты, по которым наступил срок аудита."

    def handle(self, *args, **options):
        run = record_reminders()
        self.stdout.write(
            f"Новых просроченных пунктов: {run.new_overdue}; маршрутов к аудиту: "
            f"{run.new_audits}; отправлено писем: {run.emailed}."
        )
