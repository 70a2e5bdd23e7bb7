"""The monitoring's share of the demo region: the built-in catalogue (idempotent) and, for a
region of the demo's size, the indicators of the current year computed for every territory (a
bigger generated region is computed by `nms monitor` or the benchmark, not inside generation)."""

from nms.monitoring import catalogue
from nms.monitoring.compute import compute
from nms.registry.models import Person

COMPUTED_UP_TO = 20_000  # people: the demo region (11 500) is computed as it is generated


def generate(region, *, seed: int, today) -> str:
    """The app's share of the demo region; returns the summary line for the console."""
    catalogue.load()
    line = f"  мониторинг: показателей в каталоге {len(catalogue.codes())}"
    if Person.objects.filter(region=region).count() > COMPUTED_UP_TO:
        return f"{line}; значения: nms monitor --period {today.year}"
    written = compute(region, str(today.year))
    return f"{line}, значений за {today.year}: {written}"
