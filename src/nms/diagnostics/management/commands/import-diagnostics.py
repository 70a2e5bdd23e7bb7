"""`nms import-diagnostics FILE [--user USERNAME]`: import external diagnostic results from XLSX."""

from nms.diagnostics.importers import import_results
from nms.registry.management.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Загрузить результаты внешней диагностики (СНИЛС, Процедура, Дата, Компетенция, Балл, "
        "Максимальный балл) из файла XLSX."
    )

    importer = staticmethod(import_results)
