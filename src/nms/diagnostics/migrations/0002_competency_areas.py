from django.db import migrations


def load(apps, schema_editor):
    from nms.diagnostics.areas import AREAS

    CompetencyArea = apps.get_model("diagnostics", "CompetencyArea")
    SubCompetency = apps.get_model("diagnostics", "SubCompetency")
    for order, (code, name, is_subject, for_managers, subs) in enumerate(AREAS, start=1):
        area, _ = CompetencyArea.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_subject": is_subject,
                "for_managers": for_managers,
                "order": order,
            },
        )
        for sub in subs:
            SubCompetency.objects.get_or_create(area=area, name=sub)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
