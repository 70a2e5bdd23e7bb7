"""Import of the navigator of educational resources from XLSX, in the layout of its export
(exports.RESOURCE_COLUMNS), so an exported list comes back after editing.

A resource is known by its address within the region: a row whose address the navigator already
holds updates that resource (or leaves it as it was), any other row adds one. Every row is
checked first; a file with any bad row saves nothing and the report names each bad row with its
column and value (nms.common.importing). Only those who manage the portal import, into their
region.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from nms.accounts.scope import scope_of
from nms.common import jobs
from nms.common.importing import (
    READING,
    Column,
    ErrorCollector,
    ImportReport,
    check_repeats,
    choice_parser,
    chunks,
    parse_with_progress,
    read_rows,
    silent,
)
from nms.common.text import search_key
from nms.common.xlsx import CellError, TemplateColumn, build_template, parse_bool, parse_text
from nms.portal.access import MANAGE
from nms.portal.models import Audience, Resource, ResourceKind

KIND = "resources"
COLUMNS = (
    Column("Ресурс", "title", required=True, width=40),
    Column("Вид", "kind", required=True, width=28),
    Column("Адрес", "url", required=True, width=40),
    Column("Для кого", "audience", width=24),
    Column("Теги", "tags", width=30),
    Column("Описание", "description", width=50),
    Column("На портале", "published", width=10),
)
HEADERS = {c.field: c.header for c in COLUMNS}
FIELDS = ("title", "kind", "url", "audience", "tags", "description", "published")


def _url(value) -> str:
    text = parse_text(value, 500).strip()
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise CellError("адрес ресурса — ссылка, начинающаяся с http:// или https://") from None
    return text


PARSERS = {
    "title": lambda value: parse_text(value, 300).strip(),
    "kind": choice_parser(ResourceKind, "вид"),
    "url": _url,
    "audience": choice_parser(Audience, "для кого", empty=Audience.ALL),
    "tags": lambda value: parse_text(value, 500).strip(),
    "description": lambda value: parse_text(value, 5000).strip(),
    "published": lambda value: parse_bool(value, default=True),
}


NO_RIGHTS = "Навигатор ресурсов загружают ЦНППМ и министерство региона."


def import_region(user):
    """The region the user's file goes to, or None when they may not import into one."""
    scope = scope_of(user)
    region = scope.default_region()
    if region is None or not scope.can(MANAGE, Resource(region=region)):
        return None
    return region


def resources_import(user, file, *, progress=None) -> ImportReport:
    """Add or update the navigator's resources of the file; any error saves nothing."""
    progress = progress or silent
    region = import_region(user)
    if region is None:
        return ImportReport.rejected(NO_RIGHTS)
    errors = ErrorCollector()
    rows = read_rows(file, COLUMNS, errors)
    parse_with_progress(rows, COLUMNS, PARSERS, errors, progress)
    for row in rows:
        if "title" in row.values and not row.values["title"]:
            errors.add(row, HEADERS["title"], "обязательное поле не заполнено")
    check_repeats(rows, ("url",), HEADERS["url"], "ресурс с этим адресом", errors)
    urls = sorted({r.values["url"] for r in rows if "url" in r.values})
    known: dict[str, list[Resource]] = {}
    for part in chunks(urls):
        for resource in Resource.objects.filter(region=region, url__in=part):
            known.setdefault(resource.url, []).append(resource)
    for row in rows:
        if len(known.get(row.values.get("url"), ())) > 1:
            errors.add(
                row, HEADERS["url"], "в навигаторе несколько ресурсов с этим адресом: "
                "исправьте их на странице навигатора",
            )  # fmt: skip
    if errors.errors:
        return ImportReport(errors=errors.sorted())

    report, new, changed, now = ImportReport(), [], [], timezone.now()
    for row in rows:
        values = row.values
        found = known.get(values["url"])
        resource = found[0] if found else Resource(region=region)
        before = {name: getattr(resource, name) for name in FIELDS}
        for name in FIELDS:
            if name in values:
                setattr(resource, name, values[name])
        if resource.pk is None:
            new.append(resource)
        elif before != {name: getattr(resource, name) for name in FIELDS}:
            resource.version += 1
            resource.updated_at = now  # bulk_update does not touch auto_now fields
            changed.append(resource)
        else:
            report.unchanged += 1
    for resource in new + changed:  # as Resource.save() keeps it
        resource.search_text = search_key(
            resource.title, resource.description[:400], resource.tags
        )[:1000]
    with transaction.atomic():
        for batch in chunks(new):
            Resource.objects.bulk_create(batch)
        for batch in chunks(changed):
            Resource.objects.bulk_update(batch, [*FIELDS, "search_text", "version", "updated_at"])
    report.created, report.updated = len(new), len(changed)
    return report


def template_xlsx() -> bytes:
    columns = [TemplateColumn(c.header, c.width, c.required) for c in COLUMNS]
    reference = {
        "Вид": [label for _, label in ResourceKind.choices],
        "Для кого": [label for _, label in Audience.choices],
        "На портале": ["да", "нет"],
    }
    return build_template(columns, reference, "Навигатор")


@jobs.job_work(phase=READING)
def import_job(job, progress) -> jobs.JobOutcome:
    report = resources_import(job.user, BytesIO(bytes(job.upload)), progress=progress)
    return jobs.JobOutcome(report=report.as_dict(), message=report.summary)


def import_kinds(user) -> list[tuple[str, str]]:
    return [(KIND, "навигатор образовательных ресурсов")]
