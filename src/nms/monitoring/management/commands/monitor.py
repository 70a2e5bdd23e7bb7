"""`nms monitor --period 2025 --scope region [--format json|xlsx|docx] [--out FILE]`."""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nms.monitoring import catalogue, definitions
from nms.monitoring.compute import compute, parse_period
from nms.registry.models import Region


class Command(BaseCommand):
    help = (
        "Рассчитать показатели мониторинга за период и вывести значения (JSON, XLSX или "
        "аналитическую справку DOCX); загрузить каталог или файл определений показателей."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="2025, 2025/26 или 2025-01-01..2025-06-30")
        parser.add_argument(
            "--scope", choices=["region", "municipality", "organization"], default="region"
        )
        parser.add_argument("--format", choices=["json", "xlsx", "docx"], default="json")
        parser.add_argument("--out", help="файл для результата (по умолчанию — вывод)")
        parser.add_argument("--region", help="код или наименование региона")
        parser.add_argument("--code", action="append", help="только эти показатели")
        parser.add_argument(
            "--no-compute", action="store_true", help="не пересчитывать, вывести сохранённые"
        )
        parser.add_argument(
            "--load-catalogue", action="store_true", help="загрузить встроенный каталог"
        )
        parser.add_argument("--definitions", help="JSON-файл показателей региона")
        parser.add_argument(
            "--mark-overdue",
            action="store_true",
            help="отметить «просрочено» решения с истёкшим сроком (ежедневно, cron)",
        )

    def handle(self, *args, **options):
        if options["mark_overdue"]:
            from nms.monitoring.decisions import mark_overdue

            self.stderr.write(f"Просроченных решений отмечено: {mark_overdue()}.")
            if not options["period"]:
                return
        if options["load_catalogue"]:
            counts = catalogue.load()
            self.stderr.write(
                f"Каталог: создано {counts['created']}, обновлено {counts['updated']}."
            )
        if options["definitions"]:
            region = self._region(options["region"])
            with open(options["definitions"], encoding="utf-8") as handle:
                try:
                    loaded = definitions.load(region, json.load(handle))
                except (ValidationError, ValueError) as exc:
                    raise CommandError(_message(exc)) from None
            self.stderr.write(f"Загружено показателей региона: {len(loaded)}.")
        if not options["period"]:
            if options["load_catalogue"] or options["definitions"]:
                return
            raise CommandError("Укажите период: --period 2025.")
        region = self._region(options["region"])
        try:
            label, _, _ = parse_period(options["period"])
            if not options["no_compute"]:
                compute(region, label, scope_types=[options["scope"]], codes=options["code"])
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        content = self._render(region, label, options)
        if options["out"]:
            mode = "w" if isinstance(content, str) else "wb"
            with open(options["out"], mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
                f.write(content)
        elif isinstance(content, str):
            self.stdout.write(content)
        else:
            sys.stdout.buffer.write(content)

    def _render(self, region, label, options):
        from nms.monitoring import selectors

        scope = options["scope"]
        if options["format"] == "json":
            rows = selectors.snapshot_rows(region, label, scope, codes=options["code"])
            return json.dumps(rows, ensure_ascii=False, indent=1)
        if options["format"] == "xlsx":
            return selectors.snapshots_xlsx(region, label, scope, codes=options["code"])
        try:
            from nms.monitoring.reports import analytical_report_docx
        except ImportError:
            raise CommandError(
                "Аналитическая справка DOCX пока недоступна: модуль отчётов не установлен."
            ) from None
        return analytical_report_docx(region, label, scope)

    def _region(self, given):
        regions = Region.objects.all()
        if given:
            regions = regions.filter(code=given) | regions.filter(name=given)
        found = list(regions[:2])
        if len(found) != 1:
            raise CommandError(
                "Регион не найден." if not found else "Регионов несколько: укажите --region."
            )
        return found[0]


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
