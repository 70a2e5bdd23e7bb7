"""Deficit maps and groups of people with similar deficits, computed by SQL aggregation.

Which results count: the latest result of each person (optionally only of entry or of exit
procedures), or all the results of one chosen procedure — in both cases one result per person.
Everything starts from the scope of `selectors.results_visible(user)`: a school administrator
counts only the school's people and a teacher only themselves.

A cell of a map is the share of people with a deficit in an area among the people with a score
in that area. Rows break the people down by municipality, organization, subject or diagnostic
group through their employments (or group memberships); a person working in two organizations is
counted in each of them, once. Only organizations within the user's scope (and the chosen
municipality or organization) make rows, so part-time jobs elsewhere do not leak into a map.
"""

import colorsys
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from nms.accounts.models import Role
from nms.accounts.scope import scope_of
from nms.common import aggregates
from nms.common.text import search_tokens
from nms.common.xlsx import workbook_bytes, write_row
from nms.diagnostics import selectors
from nms.diagnostics.models import AreaScore, Procedure, ProcedureKind, Result
from nms.itembank.models import CompetencyArea
from nms.registry.access import person_q
from nms.registry.models import Employment, Municipality, Organization, Person, Subject
from nms.registry.selectors import filter_people

REGION = "region"
MUNICIPALITY = "municipality"
ORGANIZATION = "organization"
SUBJECT = "subject"
GROUP = "group"
BREAKDOWNS = {
    MUNICIPALITY: "по муниципалитетам",
    ORGANIZATION: "по организациям",
    SUBJECT: "по предметам",
    GROUP: "по группам диагностики",
    REGION: "итого по области доступа",
}


@dataclass(frozen=True)
class MapFilters:
    """What the map counts; the objects are already checked to be within the user's scope."""

    breakdown: str = MUNICIPALITY
    municipality: Municipality | None = None
    organization: Organization | None = None
    subject: Subject | None = None
    procedure: Procedure | None = None
    kind: str = ""

    def describe(self) -> str:
        """The filters in words, for the heading of an export."""
        parts = [
            f"результаты процедуры «{self.procedure}»"
            if self.procedure
            else "последний результат каждого работника"
        ]
        if self.kind:
            parts.append(f"диагностика: {ProcedureKind(self.kind).label}")
        if self.municipality:
            parts.append(f"муниципалитет: {self.municipality}")
        if self.organization:
            parts.append(f"организация: {self.organization}")
        if self.subject:
            parts.append(f"предмет: {self.subject}")
        return "; ".join(parts)


def default_breakdown(user) -> str:
    """Territorial managers see municipalities first, a municipality (or a methodist) the
    organizations, a school its subjects; someone who sees only themselves gets one row."""
    scope = scope_of(user)
    if scope.is_all or scope.is_region:
        return MUNICIPALITY
    if scope.has(Role.MUNICIPAL, Role.METHODIST):
        return ORGANIZATION
    if scope.has(Role.SCHOOL):
        return SUBJECT
    return REGION


def can_see_maps(user) -> bool:
    """Anyone whose scope holds people; the numbers are over that scope only."""
    scope = scope_of(user)
    return scope.can("deficits.view_maps") and scope.people().exists()


# -- which results count -----------------------------------------------------------------------
def counted_q(user, filters: MapFilters, to_result: str = "") -> Q:
    """Conditions picking the counted results, on the Result reached by `to_result`.

    The scope is that of `selectors.results_visible`. The conditions go on the joined Result
    itself rather than through `result__in=<subquery>`: SQLite plans the grouped joins of the
    map an order of magnitude better that way.
    """
    p = to_result
    # The people's rule on the joined person (the breakdowns join it anyway).
    q = person_q(scope_of(user), f"{p}person__")
    if filters.municipality or filters.organization or filters.subject:
        people = filter_people(
            Person.objects.all(),
            municipality=filters.municipality,
            organization=filters.organization,
            subject=filters.subject,
        )
        q &= Q(**{f"{p}person__in": people})
    if filters.kind:
        q &= Q(**{f"{p}procedure__kind": filters.kind})
    if filters.procedure:
        return q & Q(**{f"{p}procedure": filters.procedure})
    # The person's latest result: none later (by date, then id). An anti-join the database runs
    # once over the results, rather than a «latest» subquery evaluated for every row counted.
    later = Result.objects.filter(
        Q(taken_on__gt=OuterRef(f"{p}taken_on"))
        | Q(taken_on=OuterRef(f"{p}taken_on"), pk__gt=OuterRef(f"{p}pk")),
        person=OuterRef(f"{p}person"),
    )
    if filters.kind:
        later = later.filter(procedure__kind=filters.kind)
    return q & ~Q(Exists(later))


def counted_results(user, filters: MapFilters) -> QuerySet[Result]:
    """One result per person: the chosen procedure's, or each person's latest one."""
    return Result.objects.filter(counted_q(user, filters))


# -- the map -----------------------------------------------------------------------------------
@dataclass
class Cell:
    people: int = 0
    deficit: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.deficit / self.people, 1) if self.people else None


@dataclass
class Row:
    key: int | None
    label: str
    note: str = ""
    people: int = 0
    with_deficit: int = 0
    cells: list[Cell | None] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return round(100 * self.with_deficit / self.people, 1) if self.people else None


@dataclass
class DeficitMap:
    breakdown: str
    areas: list[CompetencyArea]
    rows: list[Row]
    total: Row
    computed_at: datetime | None = None  # kept for a while: `nms.common.aggregates`


@dataclass(frozen=True)
class _Breakdown:
    key: str  # path from a Person to the row's object
    labels: tuple[str, ...]  # label, then an optional note
    # (path from a Person, value) pairs limiting the joined rows; an F() value is from the Result
    restrict: tuple = ()
    organizations: QuerySet | None = None  # the employments' organizations that make rows
    # Whether a person may reach one row by several joined rows (two jobs in one municipality,
    # one subject taught in two schools): then people are counted DISTINCT, else plainly — a
    # person's counted result is one, its score in an area one, an employment per organization
    # one, a membership per procedure one.
    repeats: bool = False


def _breakdown(user, filters: MapFilters) -> _Breakdown | None:
    if filters.breakdown == REGION:
        return None
    if filters.breakdown == GROUP:
        # The person's group in the procedure of the counted result.
        return _Breakdown(
            "membership__group",
            ("membership__group__name", "membership__group__procedure__name"),
            (("membership__procedure", F("procedure")),),
        )
    organizations = scope_of(user).organizations()
    if filters.organization:
        organizations = organizations.filter(pk=filters.organization.pk)
    if filters.municipality:
        organizations = organizations.filter(municipality=filters.municipality)
    if filters.breakdown == MUNICIPALITY:
        key = "employments__organization__municipality"
        return _Breakdown(key, (f"{key}__name",), organizations=organizations, repeats=True)
    if filters.breakdown == ORGANIZATION:
        key = "employments__organization"
        labels = (f"{key}__short_name", f"{key}__municipality__name")
        return _Breakdown(key, labels, organizations=organizations)
    key = "employments__subjects"
    restrict = ((f"{key}__isnull", False),)
    if filters.subject:
        restrict += ((key, filters.subject),)
    return _Breakdown(key, (f"{key}__name",), restrict, organizations, repeats=True)


def _restricted(queryset, to_result: str, breakdown: _Breakdown):
    """The queryset limited to the rows the breakdown groups by.

    `to_result` is the path from the queryset's model to the Result ("" or "result__"). All the
    conditions go into one filter() call, the plain ones first, so that they and the organization
    check share one join of the employments (and values() then reuses it). The organization check
    is an EXISTS on the joined column: SQLite without statistics plans `organization_id IN (…)`
    as a scan of every organization against every person, ten times slower.
    """
    conditions = {}
    for path, value in breakdown.restrict:
        if isinstance(value, F):
            value = F(to_result + value.name)
        conditions[f"{to_result}person__{path}"] = value
    checks = [Q(**conditions)]
    if breakdown.organizations is not None:
        employer = OuterRef(f"{to_result}person__employments__organization")
        checks.append(Exists(breakdown.organizations.filter(pk=employer)))
    return queryset.filter(*checks)


def _people(person: str, repeats: bool, **condition) -> Count:
    """People counted over joined rows: one row each unless the join `repeats` them."""
    where = Q(**condition) if condition else None
    return Count(person, distinct=True, filter=where) if repeats else Count(person, filter=where)


def deficit_map(user, filters: MapFilters, *, refresh: bool = False) -> DeficitMap:
    """The map for the user's scope and the filters, computed at most once in
    `NMS_AGGREGATE_SECONDS` for the same scope and filters (its `computed_at` says when)."""
    key = ":".join(
        [
            "deficit-map",
            scope_of(user).signature,
            filters.breakdown,
            filters.kind,
            *(str(getattr(obj, "pk", "")) for obj in _filter_objects(filters)),
        ]
    )
    kept = aggregates.kept(
        key, lambda: _computed_map(user, filters), refresh=refresh, read_only=True
    )  # the pages, the API and the home page only read the map
    return replace(kept.value, computed_at=kept.computed_at)


def _filter_objects(filters: MapFilters) -> tuple:
    return (filters.municipality, filters.organization, filters.subject, filters.procedure)


def _computed_map(user, filters: MapFilters) -> DeficitMap:
    """The map in four grouped queries (and the areas), whatever the number of people: per area
    and per row × area over the counted results' stored area scores, per row and in all over
    the counted results."""
    results = counted_results(user, filters)
    scores = AreaScore.objects.filter(counted_q(user, filters, "result__"))
    total_cells = {
        r["area"]: Cell(r["people"], r["deficit"])
        for r in scores.values("area")
        .annotate(
            people=Count("pk"), deficit=Count("pk", filter=Q(is_deficit=True))
        )  # one score per counted result and area: a person once
        .order_by()
    }
    areas = [a for a in CompetencyArea.objects.all() if a.pk in total_cells]
    totals = results.aggregate(
        people=Count("pk"), with_deficit=Count("pk", filter=Q(has_deficit=True))
    )  # one counted result per person
    total = Row(None, "Всего", people=totals["people"], with_deficit=totals["with_deficit"])
    total.cells = [total_cells.get(a.pk) for a in areas]

    breakdown = _breakdown(user, filters)
    if breakdown is None:
        return DeficitMap(REGION, areas, [total], total)
    key, labels, repeats = breakdown.key, breakdown.labels, breakdown.repeats
    cells = {
        (r["key"], r["area"]): Cell(r["people"], r["deficit"])
        for r in _restricted(scores, "result__", breakdown)
        .values("area", key=F(f"result__person__{key}"))
        .annotate(
            people=_people("result__person", repeats),
            deficit=_people("result__person", repeats, is_deficit=True),
        )
        .order_by()
    }
    rows = []
    for r in (
        _restricted(results, "", breakdown)
        .values(
            key=F(f"person__{key}"), **{f"l{i}": F(f"person__{p}") for i, p in enumerate(labels)}
        )
        .annotate(
            people=_people("person", repeats),
            with_deficit=_people("person", repeats, has_deficit=True),
        )
        .order_by()
    ):
        row = Row(r["key"], r["l0"], r.get("l1") or "", r["people"], r["with_deficit"])
        row.cells = [cells.get((row.key, a.pk)) for a in areas]
        rows.append(row)
    rows.sort(key=lambda row: (row.label.lower(), row.note.lower(), row.key))
    return DeficitMap(filters.breakdown, areas, rows, total)


HEAT_FULL = 50  # the share in deficit, %, from which a cell is fully red


def heat_rgb(share: float | None) -> tuple[int, int, int]:
    """Green for no deficit through yellow to red for HEAT_FULL % and more; grey for no data.

    Shares in deficit of a whole area seldom pass a half, so a full 0–100 scale would leave
    every cell green."""
    if share is None:
        return (238, 242, 247)
    hue = (1 - min(max(float(share), 0), HEAT_FULL) / HEAT_FULL) * 120 / 360
    red, green, blue = colorsys.hls_to_rgb(hue, 0.78, 0.75)
    return round(red * 255), round(green * 255), round(blue * 255)


# -- one person --------------------------------------------------------------------------------
@dataclass
class Change:
    area: CompetencyArea
    entry: AreaScore | None
    exit: AreaScore | None

    @property
    def delta(self):
        if self.entry is None or self.exit is None:
            return None
        return self.exit.share - self.entry.share

    @property
    def status(self) -> str:
        if self.entry is None or self.exit is None:
            return ""
        if self.entry.is_deficit:
            return "дефицит сохраняется" if self.exit.is_deficit else "дефицит устранён"
        return "новый дефицит" if self.exit.is_deficit else "дефицита нет"


@dataclass
class PersonMap:
    person: Person
    areas: list[CompetencyArea]
    history: list[tuple[Result, list[AreaScore | None]]]  # oldest first
    entry: Result | None
    exit: Result | None
    changes: list[Change]


def person_map(user, person: Person) -> PersonMap:
    """The person's results per procedure and area, and the latest exit against the entry
    before it (or the latest entry alone). The person is already checked to be in scope."""
    results = list(selectors.person_results(user, person))[::-1]
    scores = {r.pk: {s.area_id: s for s in r.area_scores.all()} for r in results}
    areas = sorted(
        {s.area for r in results for s in r.area_scores.all()}, key=lambda a: (a.order, a.name)
    )
    history = [(r, [scores[r.pk].get(a.pk) for a in areas]) for r in results]
    exits = [r for r in results if r.procedure.kind == ProcedureKind.EXIT]
    exit_result = exits[-1] if exits else None
    entries = [
        r
        for r in results
        if r.procedure.kind == ProcedureKind.ENTRY
        and (exit_result is None or r.taken_on <= exit_result.taken_on)
    ]
    entry = entries[-1] if entries else None
    changes = [
        Change(
            a,
            scores[entry.pk].get(a.pk) if entry else None,
            scores[exit_result.pk].get(a.pk) if exit_result else None,
        )
        for a in areas
    ]
    return PersonMap(person, areas, history, entry, exit_result, changes)


# -- groups with similar deficits --------------------------------------------------------------
@dataclass
class Profile:
    """People whose latest result shows deficits in exactly these areas."""

    areas: list[CompetencyArea]
    people: int
    mask: int = 0
    similar: list["Profile"] = field(default_factory=list)

    @property
    def codes(self) -> str:
        return ",".join(a.code for a in self.areas)

    @property
    def with_similar(self) -> int:
        return self.people + sum(p.people for p in self.similar)


def _bits(areas: list[CompetencyArea]) -> dict[int, int]:
    return {area.pk: 1 << index for index, area in enumerate(areas)}


def _profile_expression(bits: dict[int, int]):
    """The deficit profile of a result as a bit mask of its areas in deficit (0: none)."""
    mask = Sum(
        Case(
            *(When(area_id=pk, then=Value(bit)) for pk, bit in bits.items()),
            default=Value(0),
            output_field=BigIntegerField(),
        )
    )
    deficits = (
        AreaScore.objects.filter(result=OuterRef("pk"), is_deficit=True)
        .order_by()
        .values("result")
        .annotate(mask=mask)
        .values("mask")
    )
    return Coalesce(Subquery(deficits, output_field=BigIntegerField()), Value(0))


def _areas_of(mask: int, areas: list[CompetencyArea]) -> list[CompetencyArea]:
    return [area for index, area in enumerate(areas) if mask >> index & 1]


@dataclass
class Profiles:
    profiles: list[Profile]  # largest first
    without_deficit: int

    @property
    def people(self) -> int:
        return self.without_deficit + sum(p.people for p in self.profiles)


def deficit_profiles(user, filters: MapFilters) -> Profiles:
    """Counted people grouped by their profile in one query, largest groups first.

    `similar` lists the profiles that differ from a profile by one area (one more or one fewer
    deficit): a methodist may join them into one webinar group, as the topics mostly coincide.
    Profiles are at most 2^areas, so this pairing is done in Python over the profiles, not people.
    """
    areas = list(CompetencyArea.objects.all())
    counts = dict(
        counted_results(user, filters)
        .annotate(profile=_profile_expression(_bits(areas)))
        .values("profile")
        .annotate(people=Count("pk"))
        .values_list("profile", "people")
        .order_by()
    )
    without = counts.pop(0, 0)
    profiles = {
        mask: Profile(_areas_of(mask, areas), people, mask) for mask, people in counts.items()
    }
    for mask, profile in profiles.items():
        neighbours = (mask ^ (1 << index) for index in range(len(areas)))
        profile.similar = sorted(
            (profiles[n] for n in neighbours if n in profiles),
            key=lambda p: (-p.people, p.mask),
        )
    ordered = sorted(profiles.values(), key=lambda p: (-p.people, len(p.areas), p.mask))
    return Profiles(ordered, without)


def parse_profile(codes: str) -> list[CompetencyArea] | None:
    """Areas from «methodical,ict»; None when a code is unknown or the list is empty."""
    wanted = {c.strip() for c in codes.split(",") if c.strip()}
    areas = [a for a in CompetencyArea.objects.all() if a.code in wanted]
    return areas if wanted and len(areas) == len(wanted) else None


def profile_members(
    user, filters: MapFilters, areas: list[CompetencyArea], similar: bool = False, text: str = ""
) -> QuerySet[Result]:
    """The counted results with exactly this profile (or, with `similar`, one area off it),
    with the person and their jobs, ordered by name; given `text`, those whose person's search
    text (name, СНИЛС) holds every word of it."""
    all_areas = list(CompetencyArea.objects.all())
    bits = _bits(all_areas)
    mask = sum(bits[a.pk] for a in areas)
    masks = {mask}
    if similar:
        masks |= {mask ^ bit for bit in bits.values()} - {0}
    results = counted_results(user, filters)
    for token in search_tokens(text):
        results = results.filter(person__search_text__contains=token)
    return (
        results.annotate(profile=_profile_expression(bits))
        .filter(profile__in=masks)
        .select_related("person", "procedure")
        .prefetch_related(
            Prefetch(
                "person__employments",
                queryset=Employment.objects.select_related("organization").order_by(
                    "is_part_time", "id"
                ),
            ),
            Prefetch(
                "area_scores",
                queryset=AreaScore.objects.filter(is_deficit=True).select_related("area"),
                to_attr="deficits",
            ),
        )
        .order_by("person__last_name", "person__first_name", "person__middle_name", "person_id")
    )


# -- exports -----------------------------------------------------------------------------------
HEADER = Font(bold=True)


def _fill(share: float | None) -> PatternFill:
    return PatternFill("solid", fgColor="{:02X}{:02X}{:02X}".format(*heat_rgb(share)))


def map_xlsx(deficit_map: DeficitMap, filters: MapFilters, title: str) -> bytes:
    """The map as a sheet: per area the share in deficit (coloured) and «в дефиците из»."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Карта дефицитов"
    write_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    write_row(sheet, [filters.describe()])
    write_row(sheet, [])
    header = ["", "", "Диагностировано, чел.", "С дефицитом, чел.", "С дефицитом, %"]
    for area in deficit_map.areas:
        header += [f"{area.name}: дефицит, %", f"{area.name}: дефицит, чел. из"]
    write_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER
    rows = deficit_map.rows
    if deficit_map.breakdown != REGION:
        rows = [*rows, deficit_map.total]
    for row in rows:
        values = [row.label, row.note, row.people, row.with_deficit, row.share]
        for cell in row.cells:
            values += [cell.share, f"{cell.deficit} из {cell.people}"] if cell else [None, None]
        write_row(sheet, values)
        line = sheet.max_row
        for index, cell in enumerate(row.cells):
            sheet.cell(line, 6 + 2 * index).fill = _fill(cell.share if cell else None)
        if row is deficit_map.total:
            for cell in sheet[line]:
                cell.font = HEADER
    widths = [40, 24, 16, 14, 14] + [16, 14] * len(deficit_map.areas)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"
    return workbook_bytes(workbook)


MEMBER_COLUMNS = [
    ("ФИО", 36), ("СНИЛС", 16), ("Организация", 40), ("Email", 28), ("Процедура", 40),
    ("Дата", 12), ("Результат, %", 12), ("Дефициты", 50),
]  # fmt: skip


def members_xlsx(members: QuerySet[Result], title: str) -> bytes:
    """The people of a group with similar deficits, to invite to a webinar."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Группа")
    for index, (_, width) in enumerate(MEMBER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    write_row(sheet, [title])
    write_row(sheet, [header for header, _ in MEMBER_COLUMNS])
    for result in members.iterator(chunk_size=2000):
        person = result.person
        jobs = person.employments.all()
        write_row(
            sheet,
            [
                person.full_name,
                person.snils,
                "; ".join(e.organization.short_name for e in jobs),
                person.email,
                result.procedure.name,
                result.taken_on,
                float(result.share),
                ", ".join(s.area.name for s in result.deficits),
            ],
        )
    return workbook_bytes(workbook)
