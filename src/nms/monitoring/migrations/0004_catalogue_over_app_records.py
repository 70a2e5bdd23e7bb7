"""The catalogue's indicators over the records of the apps catalogs, roadmap, staffing, outcomes
and portal (data/updates/, merged into data/catalogue.json): computed from records instead of
information cards. Loading is idempotent (nms.monitoring.catalogue.load)."""

from django.db import migrations


def load(apps, schema_editor):
    from nms.monitoring import catalogue

    catalogue.load(apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_card_reminders_snapshot_writes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
