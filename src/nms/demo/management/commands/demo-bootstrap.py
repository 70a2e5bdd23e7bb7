"""`nms demo-bootstrap`: a demo region on first start, then the demo accounts to log in with."""

from django.core.management.base import BaseCommand

from nms.demo.accounts import accounts_table
from nms.demo.build import build_demo_region
from nms.registry.models import Region


class Command(BaseCommand):
    help = (
        "Если в базе нет ни одного региона, создаёт демонстрационный (13 муниципалитетов, "
        "300 организаций, 11 500 работников, диагностика и ИОМ); затем выводит "
        "демонстрационные учётные записи."
    )

    def handle(self, *args, **options):
        if Region.objects.exists():
            names = ", ".join(f"«{r}»" for r in Region.objects.all()[:5])
            self.stdout.write(f"В базе уже есть регионы ({names}); генерация пропущена.")
        else:
            self.stdout.write("Регионов в базе нет — создаю демонстрационный регион…")
            self.stdout.write(build_demo_region())
        self.stdout.write("")
        self.stdout.write(accounts_table())
