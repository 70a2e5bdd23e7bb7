"""`nms import-diagnostics FILE [--user USERNAME]`: import external diagnostic results from XLSX."""

from nms.common.management.commands import ImportCommand
from nms.diagnostics.importers import import_results


class Command(ImportCommand):
    help = (
        "Загрузить результаты внешней диагностики (СНИЛС, Процедура, Дата, Компетенция, Балл, "
        "Максимальный балл) из файла XLSX."
    )

    importer = staticmethod(import_results)
