"""The demo item bank: a few hundred approved items in Russian over every competency area and
several subjects, kept as data in the bank's own XLSX format (data/demo_bank.xlsx).

It is loaded through the bank's import (nms.itembank.importers.bank_import), so the demo items go
through the same validation as any user's file. Items whose Шифр is already in the bank are left
as they are, so loading twice adds nothing; the file is fixed, so the result is deterministic.
"""

from importlib.resources import files

from django.db import transaction

from nms.itembank.importers import bank_import

DEMO_BANK = files("nms.itembank") / "data" / "demo_bank.xlsx"


class DemoBankError(RuntimeError):
    """The demo file does not fit the database (an area or a subject missing, say)."""


@transaction.atomic
def load_demo_bank() -> int:
    """Add the demo items missing from the bank; returns how many were added."""
    with DEMO_BANK.open("rb") as file:
        report = bank_import(None, file, only_new=True)
    if not report.ok:
        problems = "; ".join(str(error) for error in report.errors[:5])
        raise DemoBankError(f"Демонстрационный банк заданий не загружен: {problems}")
    return report.created
