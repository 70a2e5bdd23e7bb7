"""The roadmap app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a roadmap of
the world's region with an activity its municipality answers for and one its school answers
for, a reporting period with an evidence file, a tri-party agreement of the world's municipality
(its school a party too) with a file, and a published municipal document with a version.

A roadmap is the region's: a municipal coordinator reads the whole of it (roadmap/access.py), so
its URLs are region objects (outside the scope only in another region); its names carry the mark
only in the world's own region. Agreements and documents are bound to the municipality (and the
school): strict for every role but the regional methodist, who reads the region's."""

from datetime import date

from django.core.files.base import ContentFile

from nms.roadmap.models import (
    Activity,
    Agreement,
    Direction,
    Document,
    DocumentVersion,
    EvidenceFile,
    Measure,
    Roadmap,
)
from nms.roadmap.services import sync_periods

TODAY = date.today()


def _objects(world):
    made = getattr(world, "_roadmap", None)
    if made is None:
        region = world.municipality.region
        name = world.mark if world.own_region else str(world.municipality.pk)
        roadmap = Roadmap.objects.create(
            region=region, title=f"Дорожная карта {name}", starts_year=TODAY.year,
            ends_year=TODAY.year,
        )  # fmt: skip
        direction = Direction.objects.create(roadmap=roadmap, number=1, title=f"Управление {name}")
        measure = Measure.objects.create(direction=direction, number="1.1", title=f"Мера {name}")
        common = {"roadmap": roadmap, "measure": measure, "deadline_kind": "constant"}
        municipal = Activity.objects.create(
            number="1.1.1", title=f"Муниципальное мероприятие {name}",
            responsible_kind="municipality", responsible_municipality=world.municipality,
            responsible_text=f"служба {world.municipality.pk}", **common,
        )  # fmt: skip
        school = Activity.objects.create(
            number="1.1.2", title=f"Мероприятие школы {name}", responsible_kind="organization",
            responsible_organization=world.school, responsible_text=f"ОО {world.school.pk}",
            **common,
        )  # fmt: skip
        sync_periods([municipal, school], roadmap)
        period = municipal.periods.get()
        evidence = EvidenceFile.objects.create(
            period=period, file=ContentFile(b"%PDF", name="evidence.pdf")
        )
        agreement = Agreement.objects.create(
            region=region, kind="tripartite", subject=f"Соглашение {world.mark}",
            municipality=world.municipality, signed_on=TODAY, valid_from=TODAY,
            file=ContentFile(b"%PDF", name="agreement.pdf"),
        )  # fmt: skip
        agreement.organizations.set([world.school])
        document = Document.objects.create(
            region=region, kind="staffing_plan", title=f"План кадров {world.mark}",
            level="municipal", municipality=world.municipality, adopted_on=TODAY, published=True,
        )  # fmt: skip
        version = DocumentVersion.objects.create(
            document=document, file=ContentFile(b"%PDF", name="plan.pdf"), dated=TODAY
        )
        made = {
            "roadmap": roadmap, "direction": direction, "measure": measure,
            "activity": municipal, "school_activity": school,
            "period": period, "evidence": evidence, "agreement": agreement,
            "document": document, "version": version,
        }  # fmt: skip
        world._roadmap = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


ROADMAP = {
    "roadmap-detail": _pk("roadmap"),
    "roadmap-edit": _pk("roadmap"),
    "roadmap-import": _pk("roadmap"),
    "roadmap-export": _pk("roadmap"),
    "roadmap-activity-create": _pk("roadmap", "roadmap_pk"),
    "roadmap-direction-create": _pk("roadmap", "roadmap_pk"),
    "roadmap-measure-create": _pk("roadmap", "roadmap_pk"),
    "api-roadmap-detail": _pk("roadmap"),
    "roadmap-direction-edit": _pk("direction"),
    "roadmap-direction-delete": _pk("direction"),
    "api-roadmap-direction-detail": _pk("direction"),
    "roadmap-measure-edit": _pk("measure"),
    "roadmap-measure-delete": _pk("measure"),
    "api-roadmap-measure-detail": _pk("measure"),
    "roadmap-activity-detail": _pk("activity"),
    "roadmap-activity-edit": _pk("activity"),
    "api-roadmap-activity-detail": _pk("activity"),
    "api-roadmap-activity-status": _pk("activity"),
    "roadmap-period-status": _pk("period"),
    "roadmap-evidence-file": _pk("evidence"),
}
BOUND = {
    "roadmap-agreement-detail": _pk("agreement"),
    "roadmap-agreement-edit": _pk("agreement"),
    "roadmap-agreement-file": _pk("agreement"),
    "api-roadmap-agreement-detail": _pk("agreement"),
    "roadmap-document-detail": _pk("document"),
    "roadmap-document-edit": _pk("document"),
    "roadmap-document-version": _pk("document"),
    "api-roadmap-document-detail": _pk("document"),
    "roadmap-version-file": _pk("version"),
}
OBJECTS = {**ROADMAP, **BOUND}
REGION_OBJECTS = set(ROADMAP)
METHODIST_REGION = set(BOUND)
METHODIST_REGION_LISTS = {
    "roadmap-agreement-list", "roadmap-document-list", "api-roadmap-agreement-list",
    "api-roadmap-document-list",
}  # fmt: skip
