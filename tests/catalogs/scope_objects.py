"""The catalogs app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a draft
practice of the world's person with a file, a material under review with an expert of the
world's school assigned and their review, made when the matrix first asks for them.

Nothing is published: a published item is read by every signed-in user (and by anonymous
visitors on the public pages), so only unpublished items say anything about the scope — and the
public pages must answer 404 for them to everybody."""

from django.core.files.base import ContentFile

from nms.catalogs.models import Assignment, Authorship, Item, ItemFile, Review
from tests.factories import EmploymentFactory, PersonFactory


def _objects(world):
    made = getattr(world, "_catalogs", None)
    if made is None:
        region = world.person.region
        practice = Item.objects.create(
            kind="practice", region=region, title=f"Практика {world.mark}", description="…",
            organization=world.school, level="school",
        )  # fmt: skip
        Authorship.objects.create(item=practice, person=world.person)
        material = Item.objects.create(
            kind="material", region=region, title=f"Материал {world.mark}", description="…",
            organization=world.school, level="school", material_kind="collection",
            status="review", round=1,
        )  # fmt: skip
        Authorship.objects.create(item=material, person=world.person)
        expert = PersonFactory(last_name=f"Экспертов {world.mark}", region=region)
        EmploymentFactory(person=expert, organization=world.school)
        assignment = Assignment.objects.create(item=material, expert=expert, round=1)
        made = {
            "practice": practice,
            "material": material,
            "file": ItemFile.objects.create(
                item=practice, file=ContentFile(b"%PDF", name="plan.pdf")
            ),
            "review": Review.objects.create(
                assignment=assignment,
                item=material,
                expert=expert,
                round=1,
                verdict="publish",
                scores={},
                comment=f"Заключение {world.mark}",
            ),  # fmt: skip
        }
        world._catalogs = made
    return made


def _pk(kind, key="pk"):
    return lambda world: {key: _objects(world)[kind].pk}


def _file(public=False):
    def kwargs(world):
        made = _objects(world)
        return {"pk": made["practice"].pk, "file_pk": made["file"].pk}

    return kwargs


OBJECTS = {
    "public-practice-detail": _pk("practice"),
    "public-material-detail": _pk("material"),
    "public-catalog-file": _file(),
    "catalogs-practice-detail": _pk("practice"),
    "catalogs-practice-edit": _pk("practice"),
    "catalogs-material-detail": _pk("material"),
    "catalogs-material-edit": _pk("material"),
    "catalogs-item-submit": _pk("practice"),
    "catalogs-item-assign": _pk("material"),
    "catalogs-item-decide": lambda world: {
        "pk": _objects(world)["material"].pk,
        "decision": "revise",
    },
    "catalogs-item-review": _pk("material"),
    "catalogs-item-file-add": _pk("practice"),
    "catalogs-item-file": _file(),
    "catalogs-item-replicate": _pk("practice"),
    "api-catalog-practice-detail": _pk("practice"),
    "api-catalog-practice-submit": _pk("practice"),
    "api-catalog-practice-assign": _pk("practice"),
    "api-catalog-practice-publish": _pk("practice"),
    "api-catalog-practice-revise": _pk("practice"),
    "api-catalog-practice-reject": _pk("practice"),
    "api-catalog-practice-replications": _pk("practice"),
    "api-catalog-material-detail": _pk("material"),
    "api-catalog-material-submit": _pk("material"),
    "api-catalog-material-assign": _pk("material"),
    "api-catalog-material-publish": _pk("material"),
    "api-catalog-material-revise": _pk("material"),
    "api-catalog-material-reject": _pk("material"),
    "api-catalog-review-detail": _pk("review"),
}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION: set[str] = set()
