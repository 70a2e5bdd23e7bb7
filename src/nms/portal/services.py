"""Writes of the portal app: one function per use case, transactional, checked by the access
registry (portal/access.py); refusals are Russian PermissionDenied / ValidationError messages and
nothing is saved.

- Innovation sites: a municipal coordinator or an editor files an application (status «заявка
  подана») and edits it; the selection's decision (`site_decide`) is the ЦНППМ's or the
  ministry's: «действует» (approved) or «отказано», with the order's number and date; a site
  that works may later be «завершила работу» or «статус прекращён» (also a decision).
  Plans, reports and the selection's expert opinion: one file of each kind a year, a new upload
  replaces the old one (the plans and reports of a public site are on the public portal).
- Communities: created and changed by the editors (any of the region) or the municipal
  coordinator (of their municipality); members are registry people of the community's region,
  a leader is a member with the role «руководитель».
- Resources and news: the editors only.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nms.accounts.scope import scope_of
from nms.common.concurrency import claim
from nms.common.files import discard_on_commit
from nms.portal.access import EDIT, MANAGE
from nms.portal.models import (
    Community,
    CommunityMember,
    DecisionBody,
    DocumentKind,
    InnovationSite,
    MemberRole,
    News,
    Resource,
    SiteDocument,
    SiteStatus,
)

NO_RIGHTS = "У вас нет прав на это действие."
SITE_FIELDS = (
    "organization", "project", "topic", "description", "starts_on", "ends_on", "applied_on",
)  # fmt: skip
COMMUNITY_FIELDS = (
    "municipality", "name", "kind", "level", "topic", "description", "links", "founded_on",
    "published",
)  # fmt: skip
COMMUNITY_M2M = ("subjects", "events")
RESOURCE_FIELDS = ("title", "kind", "url", "description", "tags", "audience", "published")
NEWS_FIELDS = ("title", "published_on", "text", "published")
# The decisions of the selection and after it: status → what it may come from.
DECISIONS = {
    SiteStatus.ACTIVE: (SiteStatus.APPLIED, SiteStatus.REJECTED),
    SiteStatus.REJECTED: (SiteStatus.APPLIED,),
    SiteStatus.COMPLETED: (SiteStatus.ACTIVE,),
    SiteStatus.TERMINATED: (SiteStatus.ACTIVE,),
}
DOCUMENT_TYPES = (".pdf", ".doc", ".docx", ".odt", ".xlsx", ".xls", ".ods", ".zip")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _require(condition: bool, message: str = NO_RIGHTS) -> None:
    if not condition:
        raise PermissionDenied(message)


def _fill(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _region_of(user, data: dict):
    """The region new items go to: the organization's or municipality's, else the user's."""
    for key in ("organization", "municipality"):
        if data.get(key) is not None:
            return data[key].region
    region = scope_of(user).default_region()
    if region is None:
        raise ValidationError(
            "Не удалось определить регион: у вас несколько регионов или ни одного."
        )
    return region


def _check_period(obj) -> None:
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": "Окончание периода раньше его начала."})


def _save_new(user, obj, data, fields, action, check=None):
    _fill(obj, data, fields)
    if not obj.region_id:
        obj.region = _region_of(user, data)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))
    obj.save()
    return obj


def _save_old(user, obj, data, fields, action, expected_version, check=None):
    _require(scope_of(user).can(action, obj))
    obj = claim(obj, expected_version)
    _fill(obj, data, fields)
    if check:
        check(obj)
    _require(scope_of(user).can(action, obj))  # moved within the scope only
    obj.save()
    return obj


# -- innovation sites --------------------------------------------------------------------------
def _check_site(site: InnovationSite) -> None:
    _check_period(site)
    if site.organization_id and site.organization.region_id != site.region_id:
        raise ValidationError({"organization": "Организация из другого региона."})


@transaction.atomic
def site_create(user, data: dict) -> InnovationSite:
    """An application for the status of an innovation site (decided later by the selection)."""
    site = InnovationSite(status=SiteStatus.APPLIED)
    site.applied_on = data.get("applied_on") or date.today()
    return _save_new(user, site, data, SITE_FIELDS, EDIT, _check_site)


@transaction.atomic
def site_update(user, site, data: dict, expected_version=None) -> InnovationSite:
    return _save_old(user, site, data, SITE_FIELDS, EDIT, expected_version, _check_site)


@transaction.atomic
def site_decide(user, site, data: dict, expected_version=None) -> InnovationSite:
    """The selection's decision: `status` (действует / отказано / завершила работу / статус
    прекращён), `decided_by` (ЦНППМ or the ministry), `order_number`, `order_date`,
    `comment`. Approval and refusal need the order; the editors only."""
    _require(scope_of(user).can(MANAGE, site), "Решение по отбору принимают ЦНППМ и министерство.")
    site = claim(site, expected_version)
    status = data.get("status")
    if status not in DECISIONS:
        raise ValidationError({"status": "Выберите решение."})
    if site.status not in DECISIONS[status]:
        raise ValidationError(
            {
                "status": f"Из состояния «{site.get_status_display()}» нельзя перейти в "
                f"«{SiteStatus(status).label}»."
            }
        )
    decided_by = data.get("decided_by") or ""
    if decided_by not in DecisionBody.values:
        raise ValidationError(
            {"decided_by": "Укажите, кто принял решение: ЦНППМ или министерство."}
        )
    number = (data.get("order_number") or "").strip()
    order_date = data.get("order_date")
    errors = {}
    if not number:
        errors["order_number"] = "Укажите номер приказа."
    if not order_date:
        errors["order_date"] = "Укажите дату приказа."
    elif site.applied_on and order_date < site.applied_on:
        errors["order_date"] = "Приказ не может быть раньше заявки."
    if errors:
        raise ValidationError(errors)
    site.status = status
    site.decided_by = decided_by
    site.order_number = number
    site.order_date = order_date
    site.decision_comment = (data.get("comment") or "").strip()
    site.save()
    return site


def _check_file(file) -> None:
    name = (file.name or "").lower()
    if not name.endswith(DOCUMENT_TYPES):
        raise ValidationError(
            {"file": "Допускаются файлы PDF, DOC, DOCX, ODT, XLS, XLSX, ODS или ZIP."}
        )
    limit = getattr(settings, "NMS_PORTAL_FILE_MAX_BYTES", DOCUMENT_MAX_BYTES)
    if file.size > limit:
        raise ValidationError(
            {"file": f"Файл больше {limit // (1024 * 1024)} МБ: уменьшите его или разделите."}
        )


def original_name(name: str) -> str:
    """The uploaded file's own name, without a path or control characters, at most 255 long
    (the extension kept)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) < 20 else name[:255]
    return name


@transaction.atomic
def site_document(user, site, data: dict) -> SiteDocument:
    """A document of a year (`kind`: a plan, a report or the selection's expert opinion; `year`,
    `file`); replaces the one of that kind and year. Whether it is shown on the public portal is
    selectors.public_site_documents's rule."""
    _require(scope_of(user).can(EDIT, site))
    year = data.get("year")
    if not year or not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "Год — четыре цифры, например 2025."})
    if data.get("kind") not in DocumentKind.values:
        raise ValidationError({"kind": "Выберите вид документа: план, отчёт или заключение."})
    file = data.get("file")
    if file is None:
        raise ValidationError({"file": "Выберите файл."})
    _check_file(file)
    kind, year = data["kind"], int(year)
    document = SiteDocument.objects.filter(site=site, kind=kind, year=year).first()
    if document is None:
        document = SiteDocument(site=site, kind=kind, year=year)
    replaced = document.file.name
    document.file = file
    document.original_name = original_name(file.name)
    document.save()
    discard_on_commit(replaced)
    return document


# -- communities -------------------------------------------------------------------------------
def _check_community(community: Community) -> None:
    if community.municipality_id and community.municipality.region_id != community.region_id:
        raise ValidationError({"municipality": "Муниципалитет из другого региона."})


def _set_m2m(obj, data: dict) -> None:
    for name in COMMUNITY_M2M:
        if name in data:
            values = list(data[name] or [])
            if name == "events" and any(e.region_id != obj.region_id for e in values):
                raise ValidationError({"events": "Мероприятие из другого региона."})
            getattr(obj, name).set(values)


@transaction.atomic
def community_create(user, data: dict) -> Community:
    community = _save_new(user, Community(), data, COMMUNITY_FIELDS, EDIT, _check_community)
    _set_m2m(community, data)
    return community


@transaction.atomic
def community_update(user, community, data: dict, expected_version=None) -> Community:
    community = _save_old(
        user, community, data, COMMUNITY_FIELDS, EDIT, expected_version, _check_community
    )
    _set_m2m(community, data)
    return community


@transaction.atomic
def member_add(user, community, person, role: str = MemberRole.MEMBER, joined_on=None):
    """Add a member (or change their role): a person of the community's region."""
    _require(scope_of(user).can(EDIT, community))
    if person is None:
        raise ValidationError({"person": "Укажите работника."})
    if person.region_id != community.region_id:
        raise ValidationError({"person": "Работник из другого региона."})
    if role not in MemberRole.values:
        raise ValidationError({"role": "Выберите роль: руководитель или участник."})
    member, created = CommunityMember.objects.get_or_create(
        community=community, person=person, defaults={"role": role, "joined_on": joined_on}
    )
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    return member


@transaction.atomic
def member_remove(user, member: CommunityMember) -> None:
    _require(scope_of(user).can(EDIT, member.community))
    member.delete()


# -- the navigator and news --------------------------------------------------------------------
@transaction.atomic
def resource_create(user, data: dict) -> Resource:
    return _save_new(user, Resource(), data, RESOURCE_FIELDS, MANAGE)


@transaction.atomic
def resource_update(user, resource, data: dict, expected_version=None) -> Resource:
    return _save_old(user, resource, data, RESOURCE_FIELDS, MANAGE, expected_version)


@transaction.atomic
def news_create(user, data: dict) -> News:
    return _save_new(user, News(), data, NEWS_FIELDS, MANAGE)


@transaction.atomic
def news_update(user, item, data: dict, expected_version=None) -> News:
    return _save_old(user, item, data, NEWS_FIELDS, MANAGE, expected_version)
