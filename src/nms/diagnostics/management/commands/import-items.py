"""`nms import-items FILE [--user USERNAME]`: import items into the bank from XLSX."""

from nms.diagnostics.bank import bank_import
from nms.registry.management.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Загрузить задания в банк из файла XLSX (формат выгрузки банка); задания с "
        "существующими шифрами обновляются."
    )

    importer = staticmethod(bank_import)
