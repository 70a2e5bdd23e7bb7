"""`nms import-staff FILE [--user USERNAME]`: import a staff list from XLSX."""

from nms.common.management.commands import ImportCommand
from nms.registry.importers import import_staff


class Command(ImportCommand):
    help = "Загрузить список работников из файла XLSX."

    importer = staticmethod(import_staff)
