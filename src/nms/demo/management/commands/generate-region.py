"""`nms generate-region`: generate a synthetic region with demo accounts."""

from django.core.management.base import BaseCommand, CommandError

from nms.demo.accounts import accounts_table
from nms.demo.build import build_demo_region
from nms.demo.generator import DEFAULT_REGION_NAME, GenerationError


class Command(BaseCommand):
    help = "Создаёт синтетический регион: муниципалитеты, организации, работников, учётные записи."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=13, help="муниципалитетов")
        parser.add_argument("--organizations", type=int, default=300, help="организаций")
        parser.add_argument("--people", type=int, default=11500, help="работников")
        parser.add_argument("--seed", type=int, default=1, help="зерно случайных чисел")
        parser.add_argument("--name", default=DEFAULT_REGION_NAME, help="название региона")

    def handle(self, *args, **options):
        try:
            text = build_demo_region(
                municipalities=options["municipalities"],
                organizations=options["organizations"],
                people=options["people"],
                seed=options["seed"],
                region_name=options["name"],
            )
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(text)
        self.stdout.write("")
        self.stdout.write(accounts_table())
