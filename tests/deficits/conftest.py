"""Fixtures of the deficit maps: those of the item bank and the diagnostics."""

from tests.diagnostics.conftest import procedure  # noqa: F401  (fixture)
from tests.itembank.conftest import areas, bank  # noqa: F401  (fixtures)
