from django.db import migrations


def load(apps, schema_editor):
    from nms.registry.dictionaries import POSITIONS, SUBJECTS

    Position = apps.get_model("registry", "Position")
    Subject = apps.get_model("registry", "Subject")
    for name, pedagogical in POSITIONS:
        Position.objects.get_or_create(name=name, defaults={"is_pedagogical": pedagogical})
    for name in SUBJECTS:
        Subject.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
