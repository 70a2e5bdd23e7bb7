"""`nms import-organizations FILE [--user USERNAME]`: import organizations from XLSX."""

from nms.registry.importers import import_organizations
from nms.registry.management.commands import ImportCommand


class Command(ImportCommand):
    help = "Загрузить организации из файла XLSX."

    importer = staticmethod(import_organizations)
