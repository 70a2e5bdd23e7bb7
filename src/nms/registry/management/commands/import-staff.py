"""`nms import-staff FILE [--user USERNAME]`: import a staff list from XLSX."""

from nms.registry.importers import import_staff
from nms.registry.management.commands import ImportCommand


class Command(ImportCommand):
    help = "Загрузить список работников из файла XLSX."

    importer = staticmethod(import_staff)
