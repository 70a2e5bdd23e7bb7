"""Dashboards: the computed values (snapshots) of a territory unit for a period, against targets.

A unit is the region, a municipality or an organization. Its dashboard lists every indicator in
force with its value, target and met / not met (filters: set, track, met); an indicator's page
shows the bars of the units one level down with the target line, the trend over the periods
computed, and drills down region → municipality → organization → the people (or records)
behind the numerator (`nms.monitoring.populations.members`), within the user's scope.

Who sees a unit: the region — the ministry, the ЦНППМ of it and the administrator; a
municipality — those and its municipal service; an organization — those, the municipal service
of its municipality and its administration. Snapshots are read through the access registry.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common import xlsx
from nms.monitoring.cards import region_indicators
from nms.monitoring.models import Indicator, IndicatorSet, ScopeType, Snapshot, Unit
from nms.monitoring.selectors import with_organization_defaults
from nms.registry.models import Municipality, Organization, Region

REGION_WIDE = (Role.MINISTRY, Role.CNPPM)
CHILD = {ScopeType.REGION: ScopeType.MUNICIPALITY, ScopeType.MUNICIPALITY: ScopeType.ORGANIZATION}
MODELS = {
    ScopeType.REGION: Region,
    ScopeType.MUNICIPALITY: Municipality,
    ScopeType.ORGANIZATION: Organization,
}
MET_CHOICES = [("yes", "достигнуто"), ("no", "не достигнуто"), ("none", "без оценки")]


# -- units --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """A territory unit a dashboard is about."""

    scope_type: str
    obj: object  # Region, Municipality or Organization

    @property
    def id(self) -> int:
        return self.obj.pk

    @property
    def name(self) -> str:
        return str(self.obj)

    @property
    def region_id(self) -> int:
        return self.obj.pk if self.scope_type == ScopeType.REGION else self.obj.region_id

    @property
    def region(self):
        return self.obj if self.scope_type == ScopeType.REGION else self.obj.region

    @property
    def child_type(self) -> str | None:
        return CHILD.get(self.scope_type)

    @property
    def label(self) -> str:
        return ScopeType(self.scope_type).label

    def parent(self) -> "Place | None":
        if self.scope_type == ScopeType.ORGANIZATION:
            return Place(ScopeType.MUNICIPALITY, self.obj.municipality)
        if self.scope_type == ScopeType.MUNICIPALITY:
            return Place(ScopeType.REGION, self.obj.region)
        return None


def may_view(user, place: Place) -> bool:
    scope = scope_of(user)
    for a in scope.assignments:
        if a.role == Role.ADMIN:
            return True
        if a.role in REGION_WIDE and a.region_id == place.region_id:
            return True
        if a.role == Role.MUNICIPAL:
            if place.scope_type == ScopeType.MUNICIPALITY and place.id == a.municipality_id:
                return True
            if (
                place.scope_type == ScopeType.ORGANIZATION
                and place.obj.municipality_id == a.municipality_id
            ):
                return True
        if (
            a.role == Role.SCHOOL
            and place.scope_type == ScopeType.ORGANIZATION
            and place.id == a.organization_id
        ):
            return True
    return False


def place_or_404(user, scope_type: str, pk: int) -> Place:
    model = MODELS.get(scope_type)
    if model is None:
        raise Http404("Страница не найдена")
    related = {Municipality: ["region"], Organization: ["region", "municipality__region"]}
    obj = model.objects.select_related(*related.get(model, [])).filter(pk=pk).first()
    if obj is None:
        raise Http404("Страница не найдена")
    place = Place(scope_type, obj)
    if not may_view(user, place):
        raise Http404("Страница не найдена")
    return place


def home_place(user) -> Place | None:
    """Where «Мониторинг» opens: the region of a regional role, else the municipality of a
    municipal service, else the organization of a school administration."""
    scope = scope_of(user)
    for role in (Role.ADMIN, Role.MINISTRY, Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL):
        for a in scope.of_role(role):
            if role == Role.ADMIN:
                region = scope.default_region() or Region.objects.order_by("pk").first()
                return Place(ScopeType.REGION, region) if region else None
            if role in REGION_WIDE:
                return Place(ScopeType.REGION, a.region)
            if role == Role.MUNICIPAL:
                return Place(ScopeType.MUNICIPALITY, a.municipality)
            return Place(ScopeType.ORGANIZATION, a.organization)
    return None


def may_open_monitoring(user) -> bool:
    return home_place(user) is not None


# -- periods ------------------------------------------------------------------------------------
def periods(region_id: int) -> list[str]:
    """The periods computed for the region, oldest first."""
    rows = (
        Snapshot.objects.filter(region_id=region_id)
        .values_list("period", "starts_on")
        .distinct()
        .order_by("starts_on", "period")
    )
    seen, found = set(), []
    for period, _ in rows:
        if period not in seen:
            seen.add(period)
            found.append(period)
    return found


def choose_period(region_id: int, asked: str | None) -> tuple[str, list[str]]:
    known = periods(region_id)
    asked = (asked or "").strip()
    if asked and asked in known:
        return asked, known
    return (known[-1] if known else ""), known


# -- the dashboard's table ----------------------------------------------------------------------
def snapshots(user) -> QuerySet:
    return scope_of(user).visible(Snapshot)


@dataclass
class Row:
    indicator: Indicator
    snapshot: Snapshot | None
    below: int = 0  # units one level down below target

    @property
    def value(self):
        return self.snapshot.value if self.snapshot else None

    @property
    def target(self):
        return self.snapshot.target if self.snapshot else None

    @property
    def met(self):
        return self.snapshot.met if self.snapshot else None

    @property
    def status(self) -> str:
        if self.snapshot is None:
            return "не рассчитан"
        if self.snapshot.status != Snapshot.Status.COMPUTED:
            return self.snapshot.get_status_display()
        if self.snapshot.met is None:
            return "без оценки"
        return "достигнуто" if self.snapshot.met else "не достигнуто"


def fmt(value, unit: str = "") -> str:
    """A value as shown: 45,5 (%), да/нет for yes/no; «—» for none."""
    if value is None:
        return "—"
    if unit == Unit.YES_NO:
        return "да" if value else "нет"
    number = Decimal(value).quantize(Decimal("0.01")).normalize()
    text = f"{number:f}".replace(".", ",")
    return f"{text} %" if unit == Unit.SHARE else text


def table(user, place: Place, period: str, filters: dict | None = None) -> list[Row]:
    """Every indicator in force in the region with this unit's value for the period (none where
    not computed), filtered by set, track and met; the count of units one level down below
    target beside each."""
    filters = filters or {}
    extra = {}
    if filters.get("indicator_set"):
        extra["indicator_set"] = filters["indicator_set"]
    if filters.get("track"):
        extra["track"] = filters["track"]
    indicators = region_indicators(place.region, **extra)
    ids = [i.pk for i in indicators]
    visible = snapshots(user).filter(period=period, indicator_id__in=ids, subject__isnull=True)
    own = {
        s.indicator_id: s for s in visible.filter(scope_type=place.scope_type, scope_id=place.id)
    }
    if place.scope_type == ScopeType.ORGANIZATION:
        own = with_organization_defaults(own, place.obj, period, ids)
    below: dict[int, int] = {}
    if place.child_type:
        for indicator_id in visible.filter(
            scope_type=place.child_type, scope_id__in=child_ids(place), met=False
        ).values_list("indicator_id", flat=True):
            below[indicator_id] = below.get(indicator_id, 0) + 1
    rows = [Row(i, own.get(i.pk), below.get(i.pk, 0)) for i in indicators]
    met = filters.get("met")
    if met == "yes":
        rows = [r for r in rows if r.met is True]
    elif met == "no":
        rows = [r for r in rows if r.met is False]
    elif met == "none":
        rows = [r for r in rows if r.met is None]
    return rows


def summary(rows: list[Row]) -> dict:
    return {
        "total": len(rows),
        "met": sum(1 for r in rows if r.met is True),
        "not_met": sum(1 for r in rows if r.met is False),
        "no_value": sum(1 for r in rows if r.snapshot is None or r.value is None),
    }


def track_choices(region) -> list[tuple[str, str]]:
    tracks = sorted({i.track for i in region_indicators(region) if i.track})
    return [(str(t), f"трек {t}") for t in tracks]


def set_choices() -> list[tuple[str, str]]:
    return list(IndicatorSet.choices)


# -- one indicator: bars, trend ---------------------------------------------------------------
def child_ids(place: Place):
    if place.scope_type == ScopeType.REGION:
        return Municipality.objects.filter(region_id=place.id).values("pk")
    if place.scope_type == ScopeType.MUNICIPALITY:
        return Organization.objects.filter(municipality_id=place.id).values("pk")
    return Organization.objects.none().values("pk")


def indicator_or_404(place: Place, pk: int) -> Indicator:
    for indicator in region_indicators(place.region):
        if indicator.pk == pk:
            return indicator
    raise Http404("Страница не найдена")


def breakdown(user, indicator: Indicator, place: Place, period: str) -> list[Snapshot]:
    """The snapshots of the units one level down (within the user's scope), by name."""
    if not place.child_type:
        return []
    rows = snapshots(user).filter(
        indicator=indicator,
        period=period,
        subject__isnull=True,
        scope_type=place.child_type,
        scope_id__in=child_ids(place),
    )
    return list(rows.order_by("scope_name", "scope_id"))


def by_subject(user, indicator: Indicator, place: Place, period: str) -> list[Snapshot]:
    rows = snapshots(user).filter(
        indicator=indicator,
        period=period,
        subject__isnull=False,
        scope_type=place.scope_type,
        scope_id=place.id,
    )
    return list(rows.select_related("subject").order_by("subject__name"))


def trend(user, indicator: Indicator, place: Place) -> list[Snapshot]:
    rows = snapshots(user).filter(
        indicator=indicator, subject__isnull=True, scope_type=place.scope_type, scope_id=place.id
    )
    return list(rows.order_by("starts_on", "period"))


def snapshot_of(user, indicator: Indicator, place: Place, period: str) -> Snapshot | None:
    found = (
        snapshots(user)
        .filter(
            indicator=indicator,
            period=period,
            subject__isnull=True,
            scope_type=place.scope_type,
            scope_id=place.id,
        )
        .first()
    )
    if found is None and place.scope_type == ScopeType.ORGANIZATION:
        found = with_organization_defaults({}, place.obj, period, [indicator.pk]).get(indicator.pk)
    return found


def _number(value):
    return float(value) if value is not None else None


def bars_chart(indicator: Indicator, rows: list[Snapshot]) -> dict:
    """Chart.js data: a bar per unit, the target as a line across them."""
    data = {
        "type": "bar",
        "labels": [s.scope_name for s in rows],
        "datasets": [
            {"label": "значение", "type": "bar", "data": [_number(s.value) for s in rows]}
        ],
    }
    if any(s.target is not None for s in rows):
        data["datasets"].append(
            {"label": "цель", "type": "line", "data": [_number(s.target) for s in rows]}
        )
    return data


def trend_chart(indicator: Indicator, rows: list[Snapshot]) -> dict:
    data = {
        "type": "line",
        "labels": [s.period for s in rows],
        "datasets": [
            {"label": "значение", "type": "line", "data": [_number(s.value) for s in rows]}
        ],
    }
    if any(s.target is not None for s in rows):
        data["datasets"].append(
            {"label": "цель", "type": "line", "data": [_number(s.target) for s in rows]}
        )
    return data


# -- the people behind a numerator --------------------------------------------------------------
def members(user, indicator: Indicator, place: Place, period: str, part: str) -> QuerySet | None:
    """The records behind the numerator (or denominator) of the unit's value, those the user's
    scope shows; None when the indicator is not computed from records."""
    if part not in ("numerator", "denominator"):
        raise Http404("Страница не найдена")
    try:
        from nms.monitoring.populations import members as population_members
    except ImportError:
        return None
    try:
        rows = population_members(indicator, part, period, place.scope_type, place.id)
    except (ValueError, LookupError, NotImplementedError):
        return None
    if rows is None:
        return None
    scope = scope_of(user)
    try:
        visible = scope.visible(rows.model)
    except LookupError:
        return rows.none()
    return rows.filter(pk__in=visible.values("pk")).order_by(*_order(rows.model))


def _order(model) -> list[str]:
    for fields in (["last_name", "first_name", "middle_name"], ["short_name"], ["name"], ["title"]):
        try:
            for name in fields:
                model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return [*fields, "pk"]
    return ["pk"]


def member_link(obj) -> str:
    """Where a member of a population leads: a person's card, an organization's page."""
    from django.urls import NoReverseMatch, reverse

    from nms.registry.models import Person

    target = obj if isinstance(obj, Person | Organization) else getattr(obj, "person", None)
    if target is None:
        return ""
    name = "person-detail" if isinstance(target, Person) else "organization-detail"
    try:
        return reverse(name, args=[target.pk])
    except NoReverseMatch:
        return ""


# -- the export of the table ----------------------------------------------------------------------
def table_xlsx(place: Place, period: str, rows: list[Row]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = xlsx.add_sheet(
        workbook,
        "Показатели",
        [
            ("Код", 8),
            ("Показатель", 60),
            ("Набор", 28),
            ("Трек", 6),
            ("Единица", 12),
            ("Числитель", 12),
            ("Знаменатель", 12),
            ("Значение", 12),
            ("Цель", 12),
            ("Направление", 14),
            ("Оценка", 16),
            ("Ниже цели (единиц уровнем ниже)", 16),
        ],
    )
    for row in rows:
        s = row.snapshot
        xlsx.write_row(
            sheet,
            [
                row.indicator.code,
                row.indicator.name,
                row.indicator.get_indicator_set_display(),
                row.indicator.track or "",
                row.indicator.get_unit_display(),
                _number(s.numerator) if s else None,
                _number(s.denominator) if s else None,
                _number(s.value) if s else None,
                _number(s.target) if s else None,
                row.indicator.get_direction_display(),
                row.status,
                row.below,
            ],
        )
    sheet.freeze_panes = "A2"
    info = workbook.create_sheet("Сведения")
    xlsx.write_row(info, ["Единица", place.name])
    xlsx.write_row(info, ["Уровень", place.label])
    xlsx.write_row(info, ["Период", period])
    return xlsx.workbook_bytes(workbook)
