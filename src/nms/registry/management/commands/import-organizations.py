"""`nms import-organizations FILE [--user USERNAME]`: import organizations from XLSX."""

from nms.common.management.commands import ImportCommand
from nms.registry.importers import import_organizations


class Command(ImportCommand):
    help = "Загрузить организации из файла XLSX."

    importer = staticmethod(import_organizations)
