"""`nms import-items FILE [--user USERNAME]`: import items into the bank from XLSX."""

from nms.common.management.commands import ImportCommand
from nms.itembank.importers import bank_import


class Command(ImportCommand):
    help = (
        "Загрузить задания в банк из файла XLSX (формат выгрузки банка); задания с "
        "существующими шифрами обновляются."
    )

    importer = staticmethod(bank_import)
