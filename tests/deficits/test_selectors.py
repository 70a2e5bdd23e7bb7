"""Deficit maps and groups with similar deficits: numbers against an independent count, scope."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nms.accounts.models import Role
from nms.deficits import maps
from nms.diagnostics import services
from nms.diagnostics.models import Group, Membership, Procedure
from nms.registry.models import Person, Subject
from tests.factories import EmploymentFactory, MunicipalityFactory, OrganizationFactory

THRESHOLD = Decimal(60)
MAP_URL = "/diagnostics/maps/"


@dataclass
class World:
    municipalities: list
    schools: list
    procedures: dict
    # person pk -> [(organization, [subject pks])]
    jobs: dict = field(default_factory=dict)
    # person pk -> [(result pk, procedure, taken_on, {area pk: (score, max)})]
    results: dict = field(default_factory=lambda: defaultdict(list))
    groups: dict = field(default_factory=dict)  # person pk -> group pk in the entry procedure


def _procedure(region, name, level, kind, day, external=False):
    return Procedure.objects.create(
        region=region,
        name=name,
        level=level,
        kind=kind,
        starts_on=day,
        ends_on=day.replace(day=28),
        is_external=external,
    )


def build_world(region, areas, people=48, seed=5) -> World:
    """Three schools in two municipalities; some people also work part-time in another school;
    results of three procedures on random subsets of the areas."""
    rng = random.Random(seed)
    municipalities = [MunicipalityFactory(region=region) for _ in range(2)]
    schools = [
        OrganizationFactory(municipality=municipalities[0]),
        OrganizationFactory(municipality=municipalities[0]),
        OrganizationFactory(municipality=municipalities[1]),
    ]
    subjects = list(Subject.objects.filter(name__in=["математика", "физика", "информатика"]))
    procedures = {
        "federal": _procedure(
            region, "ФИС ОКО", "federal", "entry", date(2023, 10, 2), external=True
        ),
        "entry": _procedure(region, "Входная", "regional", "entry", date(2024, 3, 4)),
        "exit": _procedure(region, "Выходная", "regional", "exit", date(2024, 12, 2)),
    }
    world = World(municipalities, schools, procedures)
    groups = [
        Group.objects.create(procedure=procedures["entry"], number=n, name=f"Группа {n}")
        for n in (1, 2)
    ]
    area_list = [a for code, a in sorted(areas.items()) if code != "management"]
    for _ in range(people):
        school = rng.choice(schools)
        employment = EmploymentFactory(organization=school)
        person = employment.person
        chosen = rng.sample(subjects, rng.randint(0, 2))
        employment.subjects.set(chosen)
        world.jobs[person.pk] = [(school, [s.pk for s in chosen])]
        if rng.random() < 0.25:
            other = rng.choice([s for s in schools if s != school])
            extra = EmploymentFactory(person=person, organization=other, is_part_time=True)
            second = rng.sample(subjects, 1)
            extra.subjects.set(second)
            world.jobs[person.pk].append((other, [s.pk for s in second]))
        for key, procedure in procedures.items():
            if rng.random() < 0.3:
                continue
            if key == "entry":
                group = rng.choice(groups)
                Membership.objects.create(group=group, person=person, procedure=procedure)
                world.groups[person.pk] = group.pk
            day = procedure.starts_on.replace(day=rng.randint(2, 20))
            scores = {}
            for area in rng.sample(area_list, rng.randint(2, len(area_list))):
                top = rng.choice([10, 20, 25])
                # Many deficits, many not, some exactly on the threshold.
                scores[area] = (Decimal(rng.randint(top // 4, top)), Decimal(top))
            result = services.result_record(person.pk, procedure, day, scores, "import")
            world.results[person.pk].append(
                (result.pk, procedure, day, {a.pk: v for a, v in scores.items()})
            )
    return world


@pytest.fixture
def world(region, areas):
    return build_world(region, areas)


# -- the independent count ---------------------------------------------------------------------
def counted(world, procedure=None, kind=None) -> dict:
    """person pk -> {area pk: (score, max)} of the result the map should count."""
    chosen = {}
    for person, results in world.results.items():
        candidates = [
            r
            for r in results
            if (procedure is None or r[1] == procedure) and (kind is None or r[1].kind == kind)
        ]
        if candidates:
            chosen[person] = max(candidates, key=lambda r: (r[2], r[0]))[3]
    return chosen


def is_deficit(score, top) -> bool:
    return score * 100 / top <= THRESHOLD


def expected_cells(chosen: dict, keys_of) -> dict:
    """(row key, area pk) -> (people with a score, people with a deficit)."""
    cells = defaultdict(lambda: [0, 0])
    for person, scores in chosen.items():
        for key in keys_of(person):
            for area, (score, top) in scores.items():
                cells[key, area][0] += 1
                cells[key, area][1] += is_deficit(score, top)
    return {k: tuple(v) for k, v in cells.items()}


def actual_cells(deficit_map) -> dict:
    return {
        (row.key, area.pk): (cell.people, cell.deficit)
        for row in deficit_map.rows
        for area, cell in zip(deficit_map.areas, row.cells, strict=True)
        if cell is not None
    }


def municipalities_of(world, person):
    return {school.municipality_id for school, _ in world.jobs[person]}


def schools_of(world, person):
    return {school.pk for school, _ in world.jobs[person]}


def subjects_of(world, person):
    return {s for _, subjects in world.jobs[person] for s in subjects}


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


# -- numbers -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("breakdown", "keys"),
    [
        (maps.MUNICIPALITY, municipalities_of),
        (maps.ORGANIZATION, schools_of),
        (maps.SUBJECT, subjects_of),
        (maps.REGION, lambda world, person: {None}),
    ],
)
def test_map_matches_an_independent_count(world, cnppm, breakdown, keys):
    deficit_map = maps.deficit_map(cnppm, maps.MapFilters(breakdown=breakdown))

    chosen = counted(world)
    assert actual_cells(deficit_map) == expected_cells(chosen, lambda p: keys(world, p))
    people_per_row = Counter(k for p in chosen for k in keys(world, p))
    assert {row.key: row.people for row in deficit_map.rows} == dict(people_per_row)
    with_deficit = Counter(
        k
        for p, scores in chosen.items()
        if any(is_deficit(*v) for v in scores.values())
        for k in keys(world, p)
    )
    assert {row.key: row.with_deficit for row in deficit_map.rows if row.with_deficit} == dict(
        with_deficit
    )
    total = expected_cells(chosen, lambda p: {None})
    assert {
        (None, a.pk): (c.people, c.deficit)
        for a, c in zip(deficit_map.areas, deficit_map.total.cells, strict=True)
    } == total
    assert deficit_map.total.people == len(chosen)


def test_cell_share_is_deficit_among_people_with_a_score(world, cnppm):
    deficit_map = maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.REGION))
    for cell in deficit_map.total.cells:
        assert cell.share == round(100 * cell.deficit / cell.people, 1)


def test_procedure_kind_and_territory_filters(world, cnppm):
    federal = world.procedures["federal"]
    by_procedure = maps.deficit_map(
        cnppm, maps.MapFilters(breakdown=maps.MUNICIPALITY, procedure=federal)
    )
    assert actual_cells(by_procedure) == expected_cells(
        counted(world, procedure=federal), lambda p: municipalities_of(world, p)
    )

    # The latest entry result: the regional entry one when a person has it, else the federal.
    entry = maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.REGION, kind="entry"))
    assert entry.total.people == len(counted(world, kind="entry"))
    assert actual_cells(entry) == expected_cells(counted(world, kind="entry"), lambda p: {None})

    municipality = world.municipalities[0]
    inside = maps.deficit_map(
        cnppm, maps.MapFilters(breakdown=maps.ORGANIZATION, municipality=municipality)
    )
    chosen = {
        p: s for p, s in counted(world).items() if municipality.pk in municipalities_of(world, p)
    }
    schools = {s.pk for s in world.schools if s.municipality_id == municipality.pk}
    assert {row.key for row in inside.rows} == schools
    assert actual_cells(inside) == expected_cells(chosen, lambda p: schools_of(world, p) & schools)


def test_group_breakdown_counts_members_of_the_procedure(world, cnppm):
    entry = world.procedures["entry"]
    deficit_map = maps.deficit_map(cnppm, maps.MapFilters(breakdown=maps.GROUP, procedure=entry))
    chosen = counted(world, procedure=entry)
    assert actual_cells(deficit_map) == expected_cells(chosen, lambda p: {world.groups[p]})
    assert {row.note for row in deficit_map.rows} == {"Входная"}


# -- scope -------------------------------------------------------------------------------------
def test_school_admin_counts_only_their_school(world, make_user):
    school = world.schools[0]
    admin = make_user(Role.SCHOOL, organization=school)
    deficit_map = maps.deficit_map(admin, maps.MapFilters(breakdown=maps.ORGANIZATION))
    chosen = {p: s for p, s in counted(world).items() if school.pk in schools_of(world, p)}
    assert [row.key for row in deficit_map.rows] == [school.pk]
    assert actual_cells(deficit_map) == expected_cells(chosen, lambda p: {school.pk})
    assert deficit_map.total.people == len(chosen)

    by_municipality = maps.deficit_map(admin, maps.MapFilters(breakdown=maps.MUNICIPALITY))
    assert [row.key for row in by_municipality.rows] == [school.municipality_id]


def test_teacher_sees_only_themselves(world, make_user, client):
    person_pk, results = next(iter(world.results.items()))
    teacher = make_user(Role.TEACHER, person_id=person_pk)
    deficit_map = maps.deficit_map(teacher, maps.MapFilters(breakdown=maps.MUNICIPALITY))
    assert deficit_map.total.people == 1
    assert actual_cells(
        maps.deficit_map(teacher, maps.MapFilters(breakdown=maps.REGION))
    ) == expected_cells({person_pk: counted(world)[person_pk]}, lambda p: {None})

    client.force_login(teacher)
    assert client.get(f"{MAP_URL}person/{person_pk}/").status_code == 200
    other = next(p for p in world.results if p != person_pk)
    assert client.get(f"{MAP_URL}person/{other}/").status_code == 404
    page = client.get(MAP_URL)
    assert page.status_code == 200
    assert page.context["map"].total.people == 1


def test_roles_without_people_get_404(client, make_user, world):
    client.force_login(make_user(Role.MINISTRY, region=None))
    assert client.get(MAP_URL).status_code == 404
    assert client.get(MAP_URL + "clusters/").status_code == 404


def test_person_map_compares_exit_with_the_entry_before_it(world, cnppm):
    person_pk, results = next(
        (p, results)
        for p, results in world.results.items()
        if {r[1].kind for r in results} == {"entry", "exit"}
    )
    person_map = maps.person_map(cnppm, Person.objects.get(pk=person_pk))
    entry = max((r for r in results if r[1].kind == "entry"), key=lambda r: (r[2], r[0]))
    assert person_map.exit.procedure == world.procedures["exit"]
    assert person_map.entry.pk == entry[0]
    assert [r.pk for r, _ in person_map.history] == [
        r[0] for r in sorted(results, key=lambda r: (r[2], r[0]))
    ]
    for change in person_map.changes:
        if change.entry and change.exit:
            assert change.delta == change.exit.share - change.entry.share
            assert change.status


# -- groups with similar deficits --------------------------------------------------------------
def test_clusters_group_identical_profiles(world, cnppm):
    profiles = maps.deficit_profiles(cnppm, maps.MapFilters())
    chosen = counted(world)
    expected = Counter(
        frozenset(a for a, v in scores.items() if is_deficit(*v)) for scores in chosen.values()
    )
    without = expected.pop(frozenset(), 0)
    assert profiles.without_deficit == without
    assert {frozenset(a.pk for a in p.areas): p.people for p in profiles.profiles} == dict(expected)
    sizes = [p.people for p in profiles.profiles]
    assert sizes == sorted(sizes, reverse=True)
    for profile in profiles.profiles:
        mine = {a.pk for a in profile.areas}
        for other in profile.similar:
            assert len(mine ^ {a.pk for a in other.areas}) == 1

    biggest = profiles.profiles[0]
    members = maps.profile_members(cnppm, maps.MapFilters(), biggest.areas)
    wanted = {a.pk for a in biggest.areas}
    expected_people = {
        p
        for p, scores in chosen.items()
        if {a for a, v in scores.items() if is_deficit(*v)} == wanted
    }
    assert {r.person_id for r in members} == expected_people
    assert all({s.area_id for s in r.deficits} == wanted for r in members)
    near = maps.profile_members(cnppm, maps.MapFilters(), biggest.areas, similar=True)
    assert near.count() == biggest.with_similar


def test_clusters_page_and_members_export(world, cnppm, client):
    client.force_login(cnppm)
    page = client.get(MAP_URL + "clusters/")
    assert page.status_code == 200
    profile = page.context["profiles"].profiles[0]
    members = client.get(MAP_URL + "clusters/members/", {"profile": profile.codes})
    assert members.status_code == 200
    assert members.context["page"].paginator.count == profile.people
    export = client.get(MAP_URL + "clusters/members/", {"profile": profile.codes, "format": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == profile.people + 2
    assert client.get(MAP_URL + "clusters/members/", {"profile": "nonsense"}).status_code == 404


def test_a_groups_members_are_searched_by_name_on_the_page_and_the_api(world, cnppm, client):
    client.force_login(cnppm)
    profile = client.get(MAP_URL + "clusters/").context["profiles"].profiles[0]
    first = client.get(MAP_URL + "clusters/members/", {"profile": profile.codes}).context[
        "members"
    ][0]
    surname = first.person.last_name
    found = client.get(MAP_URL + "clusters/members/", {"profile": profile.codes, "q": surname})
    people = found.context["page"].paginator.object_list
    assert first in people and all(r.person.last_name == surname for r in people)
    html = found.content.decode()
    assert f'name="profile" value="{profile.codes}"' in html  # the search keeps the group
    nobody = {"profile": profile.codes, "q": "Несуществующая"}
    assert client.get(MAP_URL + "clusters/members/", nobody).context["page"].paginator.count == 0
    api = APIClient()
    api.force_authenticate(cnppm)
    listed = api.get(
        "/api/v1/diagnostics/clusters/members/", {"profile": profile.codes, "q": surname}
    ).json()
    assert listed["count"] == people.count()


# -- the page, the export, the API -------------------------------------------------------------
def test_map_page_colours_cells_and_exports_xlsx(world, cnppm, client):
    client.force_login(cnppm)
    page = client.get(MAP_URL, {"breakdown": "organization"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "background: rgb(" in html and 'id="legend"' in html
    deficit_map = page.context["map"]
    assert len(deficit_map.rows) == 3

    export = client.get(MAP_URL, {"breakdown": "organization", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    assert header[5] == f"{deficit_map.areas[0].name}: дефицит, %"
    body = rows[4:]
    assert [r[0] for r in body] == [row.label for row in deficit_map.rows] + ["Всего"]
    assert body[0][5] == deficit_map.rows[0].cells[0].share


def test_map_page_runs_a_fixed_number_of_queries(region, areas, cnppm, client, count_queries):
    client.force_login(cnppm)

    def queries(params) -> int:
        count, response = count_queries(client.get, MAP_URL, params)
        assert response.status_code == 200
        return count

    build_world(region, areas, people=5, seed=1)
    procedure = Procedure.objects.get(name="Входная")
    params = [
        {},
        {"breakdown": "organization", "procedure": procedure.pk},
        {"breakdown": "subject"},
    ]
    small = [queries(p) for p in params]
    Procedure.objects.all().delete()
    build_world(region, areas, people=40, seed=2)
    procedure = Procedure.objects.get(name="Входная")
    params[1]["procedure"] = procedure.pk
    assert [queries(p) for p in params] == small


def test_bad_filter_value_is_an_error_not_a_crash(world, cnppm, client):
    client.force_login(cnppm)
    page = client.get(MAP_URL, {"municipality": "999999", "kind": "sideways"})
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"municipality", "kind"}


def test_api_map_clusters_and_members(world, make_user):
    school = world.schools[2]
    api = APIClient()
    api.force_authenticate(make_user(Role.SCHOOL, organization=school))
    body = api.get("/api/v1/diagnostics/maps/", {"breakdown": "organization"}).json()
    chosen = {p: s for p, s in counted(world).items() if school.pk in schools_of(world, p)}
    assert [row["key"] for row in body["rows"]] == [school.pk]
    cells = {
        (school.pk, area["id"]): (cell["people"], cell["deficit"])
        for area, cell in zip(body["areas"], body["rows"][0]["cells"], strict=True)
        if cell
    }
    assert cells == expected_cells(chosen, lambda p: {school.pk})

    clusters = api.get("/api/v1/diagnostics/clusters/").json()
    assert clusters["people"] == len(chosen)
    first = clusters["clusters"][0]
    members = api.get("/api/v1/diagnostics/clusters/members/", {"profile": first["profile"]})
    assert members.status_code == 200
    assert members.json()["count"] == first["people"]
    assert all(m["person"] in chosen for m in members.json()["results"])

    assert api.get("/api/v1/diagnostics/maps/", {"kind": "sideways"}).status_code == 400


@pytest.mark.parametrize("role", [Role.CNPPM, Role.MUNICIPAL, Role.SCHOOL])
def test_every_breakdown_runs_as_many_queries_for_5_and_40_people(
    role, region, areas, make_user, client, count_queries
):
    def queries(params) -> int:
        count, response = count_queries(client.get, MAP_URL, params)
        assert response.status_code == 200
        return count

    def signed_in(world):
        binding = {
            Role.CNPPM: {},
            Role.MUNICIPAL: {"municipality": world.municipalities[0]},
            Role.SCHOOL: {"organization": world.schools[0]},
        }[role]
        client.force_login(make_user(role, **binding))

    params = [{"breakdown": b} for b in maps.BREAKDOWNS] + [{"kind": "exit"}]
    signed_in(build_world(region, areas, people=5, seed=1))
    small = [queries(p) for p in params]
    Procedure.objects.all().delete()  # the second world's procedures have the same names
    signed_in(build_world(region, areas, people=40, seed=2))
    assert [queries(p) for p in params] == small


def test_map_page_shows_its_rows_a_page_at_a_time(world, cnppm, client, monkeypatch):
    from nms.deficits import views

    monkeypatch.setattr(views, "MAP_ROWS_PER_PAGE", 2)
    client.force_login(cnppm)
    labels = [row.label for row in maps.deficit_map(cnppm, maps.MapFilters("organization")).rows]
    assert len(labels) == 3
    first = client.get(MAP_URL, {"breakdown": "organization"})
    second = client.get(MAP_URL, {"breakdown": "organization", "page": 2})
    assert [r[0].label for r in first.context["rows"]] == labels[:2]
    assert [r[0].label for r in second.context["rows"]] == labels[2:]
    for page in (first, second):
        assert "Всего" in page.content.decode()  # the total row on every page
