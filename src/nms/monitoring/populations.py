"""Named populations over the records: what a numerator or a denominator counts.

A numerator or denominator of an indicator is a spec (JSON):

    {"population": "pedagogues", "filters": {"young": true}, "distinct": "person",
     "also": [{"population": "routes", "filters": {"status__ne": "draft"}}]}

- `population` — a key of POPULATIONS below (people, employments, organizations, results,
  routes, completions, participations, mentoring pairs, support acts, …);
- `filters` — a small vocabulary per population: its named fields (a value, or a list for «any
  of»; a suffix `__gte`, `__lte`, `__gt`, `__lt`, `__ne`, `__in`, `__isnull` where it makes
  sense) and its named flags (`young`, `topic`, `manager`, …);
- `distinct` — what is counted: `person` (each person once), `row`, `organization`,
  `municipality`;
- `also` — a list of specs the counted unit must also be in (the «из них» of the regulations:
  the people of the denominator who also have a route), `any_of` — at least one of them,
  `none_of` — none of them; each matched on `match` (`person` by default, or `organization`,
  `municipality`) within the same period.

Each population declares its model (an app not installed yet makes it «нет данных»), the date
that places a record in the period (or the interval it is in force, or none for the state of the
registry), the paths to its region, municipality and organization (for the territory of each
snapshot), to the person (for the drill-down) and, where it has one, to the subject.
"""

import itertools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat

from nms.registry.models import experience_cutoff, years_ago

DISTINCTS = ("person", "row", "organization", "municipality")
SUFFIXES = ("gte", "lte", "gt", "lt", "ne", "in", "isnull")
SPEC_KEYS = {"population", "filters", "distinct", "also", "any_of", "none_of", "match", "label"}


@dataclass(frozen=True)
class Ctx:
    """The period a spec is computed for; `on` is the day the state of the registry is read."""

    starts_on: date
    ends_on: date

    @property
    def on(self) -> date:
        return min(self.ends_on, date.today())


@dataclass(frozen=True)
class Population:
    key: str
    label: str
    model: str  # "app_label.Model"
    region: str
    municipality: str | None = None
    organization: str | None = None
    person: str | None = None
    date: str | None = None  # the record falls in the period by this date
    interval: tuple | None = None  # (start, end or None): in force during the period
    since: str | None = None  # recorded on or before the period's end (a stock)
    subject: str | None = None
    unit: str = "person"  # the default `distinct`
    base: Callable | None = None  # ctx -> Q
    fields: dict = field(default_factory=dict)  # name -> lookup path
    flags: dict = field(default_factory=dict)  # name -> (value, ctx, pop) -> Q

    def model_class(self):
        """The model, or None when its app is not installed (the population has no data)."""
        app_label, name = self.model.split(".")
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            return None

    def path(self, unit: str) -> str | None:
        if unit == "person":
            return self.person
        if unit == "row":
            return "pk"
        return {"organization": self.organization, "municipality": self.municipality}.get(unit)

    def territory(self, scope_type: str) -> str | None:
        return {
            "region": self.region,
            "municipality": self.municipality,
            "organization": self.organization,
        }[scope_type]


# -- shared subqueries ---------------------------------------------------------------------------
_SHARED: ContextVar[dict | None] = ContextVar("nms_monitoring_shared_ids", default=None)
_TABLES = itertools.count()


@contextmanager
def sharing_subqueries():
    """Inside a computation on PostgreSQL: each distinct set of ids a condition tests against
    (`person_id IN (SELECT …)`: the young, those with a route, a mentee of a pair, …) is read
    once into a temporary table dropped at COMMIT, and every condition testing against it reads
    that table. The catalogue asks for the same sets in many specs: PostgreSQL would build each
    occurrence's hash again (the young teachers five times in one query)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared_ids(ids):
    """`ids` (a queryset of one column) or, while sharing, the temporary table holding them."""
    tables = _SHARED.get()
    if tables is None:
        return ids
    sql, params = ids.query.sql_with_params()
    key = (sql, repr(params))
    name = tables.get(key)
    if name is None:
        name = tables[key] = f"nms_ids_{next(_TABLES)}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS {sql}", params)
            cursor.execute(f"ANALYZE {name}")
    return RawSQL(f"SELECT * FROM {name}", [])


# -- flags ----------------------------------------------------------------------------------------
def _person_prefix(pop: Population) -> str:
    return f"{pop.person}__" if pop.person else ""


def _employments(person_path_q: Q, pop: Population) -> Q:
    """People (of the population's person path) with an employment matching the condition."""
    Employment = apps.get_model("registry", "Employment")
    ids = Employment.objects.filter(person_path_q).values("person_id")
    return Q(**{f"{pop.person}__in": shared_ids(ids)})


def young_flag(value, ctx, pop):
    """Under 35 on the day and pedagogical experience up to 3 years (registry's rule)."""
    from nms.registry.selectors import young_teacher_q

    Person = apps.get_model("registry", "Person")
    ids = Person.objects.filter(young_teacher_q(ctx.on)).values("pk")
    q = Q(**{f"{pop.person}__in": shared_ids(ids)})
    return q if value else ~q


def manager_flag(value, ctx, pop):
    if pop.model == "registry.Employment":
        q = ~Q(manager_kind="")
    else:
        q = _employments(~Q(manager_kind=""), pop)
    return q if value else ~q


def pedagogical_flag(value, ctx, pop):
    if pop.model == "registry.Employment":
        q = Q(position__is_pedagogical=True)
    else:
        q = _employments(Q(position__is_pedagogical=True), pop)
    return q if value else ~q


def teacher_flag(value, ctx, pop):
    if pop.model == "registry.Employment":
        q = Q(position__name=TEACHER_POSITION)
    else:
        q = _employments(Q(position__name=TEACHER_POSITION), pop)
    return q if value else ~q


def load_total_flag(value, ctx, pop):
    """The person's teaching load over all their employments is at least the value."""
    Employment = apps.get_model("registry", "Employment")
    heavy = (
        Employment.objects.values("person_id")
        .annotate(total=Sum("teaching_load"))
        .filter(total__gte=value)
        .values("person_id")
    )
    return Q(**{f"{pop.person}__in": shared_ids(heavy)})


def age_flag(value, ctx, pop):
    """At least `value` years old on the day."""
    return Q(**{f"{_person_prefix(pop)}birth_date__lte": years_ago(ctx.on, int(value))})


def experience_flag(value, ctx, pop):
    """Pedagogical experience of at least `value` years on the day (some employment)."""
    cutoff = experience_cutoff(ctx.on, int(value))
    if pop.model == "registry.Employment":
        return Q(experience_start__lte=cutoff)
    return _employments(Q(experience_start__lte=cutoff), pop)


def topic_flag(path):
    """A JSON list of topic codes holds one of the codes (a string or a list), on any database."""

    def flag(value, ctx, pop):
        codes = value if isinstance(value, list) else [value]
        q = Q(pk__in=[])
        for code in codes:
            q |= Q(**{f"{path}_text__contains": f'"{code}"'})
        return q

    flag.annotation = (f"{path}_text", path)
    return flag


def chosen_by_diagnostics_flag(value, ctx, pop):
    """A3's rule on a completion: the programme addresses an area where a result of the person
    taken before the run found a deficit, or an item of the person's route points at it."""
    AreaScore = apps.get_model("diagnostics", "AreaScore")
    RouteItem = apps.get_model("routes", "RouteItem")
    deficit = AreaScore.objects.filter(
        result__person_id=OuterRef("person_id"),
        result__taken_on__lte=OuterRef("run__starts_on"),
        is_deficit=True,
        area__programmes=OuterRef("run__programme_id"),
    )
    text = Cast(OuterRef("run__programme_id"), output_field=CharField())
    run_text = Cast(OuterRef("run_id"), output_field=CharField())
    proposed = RouteItem.objects.filter(route__person_id=OuterRef("person_id")).filter(
        Q(source=Concat(Value("program:"), text)) | Q(source=Concat(Value("run:"), run_text))
    )
    q = Q(Exists(deficit)) | Q(Exists(proposed))
    return q if value else ~q


def management_team_flag(value, ctx, pop):
    """An organization with a management team (someone in a managerial post)."""
    Employment = apps.get_model("registry", "Employment")
    path = pop.organization
    ids = Employment.objects.exclude(manager_kind="").values("organization_id")
    q = Q(**{f"{path}__in": shared_ids(ids)})
    return q if value else ~q


def mentor_flag(value, ctx, pop):
    """The person is a mentor of a pair in force during the period."""
    Pair = apps.get_model("mentoring", "Pair") if apps.is_installed("nms.mentoring") else None
    if Pair is None:
        return Q(pk__in=[])
    ids = Pair.objects.filter(_interval_q(("starts_on", "completed_on"), ctx)).values("mentor_id")
    q = Q(**{f"{pop.person}__in": shared_ids(ids)})
    return q if value else ~q


def new_flag(start):
    """Began during the period (a new site, a new programme)."""

    def flag(value, ctx, pop):
        q = Q(**{f"{start}__gte": ctx.starts_on, f"{start}__lte": ctx.ends_on})
        return q if value else ~q

    return flag


TEACHER_POSITION = "учитель"

PEOPLE_FLAGS = {
    "young": young_flag,
    "manager": manager_flag,
    "pedagogical": pedagogical_flag,
    "teacher": teacher_flag,
    "load_total_gte": load_total_flag,
    "age_gte": age_flag,
    "experience_gte": experience_flag,
}

EMPLOYMENT_FIELDS = {
    "organization_kind": "organization__kind",
    "low_results": "organization__is_low_results",
    "unfavourable": "organization__is_unfavourable",
    "category": "category",
    "part_time": "is_part_time",
    "position": "position__name",
    "manager_kind": "manager_kind",
    "education_level": "person__education_level",
    "pedagogical_education": "person__has_pedagogical_education",
    "subject": "subjects__name",
    "teaching_load": "teaching_load",
    "sex": "person__sex",
}


def _employment_population(key, label, base=None, unit="person"):
    return Population(
        key=key,
        label=label,
        model="registry.Employment",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        subject="subjects",
        unit=unit,
        base=base,
        fields=EMPLOYMENT_FIELDS,
        flags=PEOPLE_FLAGS,
    )


def _person_territory(person: str):
    """Territory paths of a record bound only to a person: where the person works."""
    return {
        "region": f"{person}__region_id",
        "municipality": f"{person}__employments__organization__municipality_id",
        "organization": f"{person}__employments__organization_id",
        "person": f"{person}_id",
    }


def _pedagogical(ctx):
    return Q(position__is_pedagogical=True)


def _workers(ctx):
    return Q(position__is_pedagogical=True) | ~Q(manager_kind="")


def _young_pedagogues(ctx):
    return Q(position__is_pedagogical=True) & young_flag(True, ctx, POPULATIONS["pedagogues"])


PARTICIPATION_FIELDS = {
    "role": "role",
    "stage": "stage",
    "nomination": "nomination",
    "event_kind": "event__kind",
    "event_level": "event__level",
    "horizontal": "event__horizontal_learning",
    "burnout": "event__burnout_prevention",
    "for_low_results": "event__for_low_results",
    "organization_kind": "organization__kind",
    "low_results": "organization__is_low_results",
}

COMPLETION_FIELDS = {
    "federal": "run__programme__in_federal_registry",
    "programme_kind": "run__programme__kind",
    "programme_origin": "run__programme__origin",
    "chosen_from_diagnostics": "chosen_from_diagnostics",
    "team": "team_id",
    "organization_kind": "organization__kind",
    "low_results": "organization__is_low_results",
    "unfavourable": "organization__is_unfavourable",
    "programme_subject": "run__programme__subjects__name",
    "provider_kind": "run__programme__provider__kind",
}


def _completed(ctx):
    return Q(status="completed")


POPULATIONS: dict[str, Population] = {}


def _add(*populations):
    for pop in populations:
        POPULATIONS[pop.key] = pop


_add(
    # -- the registry: people through their employments (a person counts in each organization
    # they work in, once in a municipality and the region) --------------------------------------
    _employment_population("workers", "педагогические и управленческие работники", _workers),
    _employment_population("pedagogues", "педагогические работники", _pedagogical),
    _employment_population("teachers", "учителя", lambda ctx: Q(position__name=TEACHER_POSITION)),
    _employment_population("managers", "управленческие работники", lambda ctx: ~Q(manager_kind="")),
    _employment_population("young_teachers", "молодые педагоги", _young_pedagogues),
    _employment_population("employments", "места работы", unit="row"),
    Population(
        key="organizations",
        label="организации",
        model="registry.Organization",
        region="region_id",
        municipality="municipality_id",
        organization="id",
        unit="organization",
        fields={"kind": "kind", "low_results": "is_low_results", "unfavourable": "is_unfavourable"},
        flags={"with_management_team": management_team_flag},
    ),
    Population(
        key="municipalities",
        label="муниципалитеты",
        model="registry.Municipality",
        region="region_id",
        municipality="id",
        unit="municipality",
    ),
    # -- diagnostics ----------------------------------------------------------------------------
    Population(
        key="results",
        label="результаты диагностики",
        model="diagnostics.Result",
        **_person_territory("person"),
        date="taken_on",
        fields={
            "level": "procedure__level",
            "procedure_kind": "procedure__kind",
            "has_deficit": "has_deficit",
            "source": "source",
            "procedure": "procedure_id",
        },
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="area_scores",
        label="баллы по областям компетенций",
        model="diagnostics.AreaScore",
        **_person_territory("result__person"),
        date="result__taken_on",
        fields={
            "is_deficit": "is_deficit",
            "area": "area__name",
            "level": "result__procedure__level",
        },
        flags=PEOPLE_FLAGS,
    ),
    # -- routes (ИОМ) ---------------------------------------------------------------------------
    Population(
        key="routes",
        label="маршруты (ИОМ), созданные в периоде",
        model="routes.Route",
        **_person_territory("person"),
        date="created_at__date",
        fields={
            "status": "status",
            "route_type": "route_type",
            "methodist": "methodist_id",
            "tutor": "tutor_id",
            "entry_level": "entry_result__procedure__level",
            "evaluation": "evaluation",
        },
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="routes_active",
        label="маршруты (ИОМ), действующие в периоде",
        model="routes.Route",
        **_person_territory("person"),
        interval=("starts_on", "ends_on"),
        fields={
            "status": "status",
            "route_type": "route_type",
            "methodist": "methodist_id",
            "tutor": "tutor_id",
            "entry_level": "entry_result__procedure__level",
            "evaluation": "evaluation",
        },
        flags=PEOPLE_FLAGS,
    ),
    # -- programmes (ДПП) -----------------------------------------------------------------------
    Population(
        key="completions",
        label="завершения программ ДПП",
        model="programs.Enrollment",
        region="person__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        subject="run__programme__subjects",
        date="completed_on",
        base=_completed,
        fields=COMPLETION_FIELDS,
        flags={
            **PEOPLE_FLAGS,
            "topic": topic_flag("run__programme__topics"),
            "chosen_by_diagnostics": chosen_by_diagnostics_flag,
        },
    ),
    Population(
        key="enrollments",
        label="зачисления на программы ДПП",
        model="programs.Enrollment",
        region="person__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        date="enrolled_on",
        fields={**COMPLETION_FIELDS, "status": "status"},
        flags={**PEOPLE_FLAGS, "topic": topic_flag("run__programme__topics")},
    ),
    Population(
        key="teams",
        label="управленческие команды на программах ДПП",
        model="programs.Team",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        date="run__ends_on",
        unit="organization",
        fields={"federal": "run__programme__in_federal_registry"},
    ),
    Population(
        key="programmes",
        label="программы ДПП",
        model="programs.Programme",
        region="region_id",
        date="created_at__date",
        unit="row",
        fields={
            "federal": "in_federal_registry",
            "kind": "kind",
            "origin": "origin",
            "status": "status",
            "review_submitted_on": "review_submitted_on",
        },
        flags={"topic": topic_flag("topics")},
    ),
    # -- events ---------------------------------------------------------------------------------
    Population(
        key="participations",
        label="участие в мероприятиях",
        model="events.Participation",
        region="event__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        date="event__starts_on",
        fields=PARTICIPATION_FIELDS,
        flags={**PEOPLE_FLAGS, "topic": topic_flag("event__topics"), "mentor": mentor_flag},
    ),
    Population(
        key="events",
        label="мероприятия",
        model="events.Event",
        region="region_id",
        municipality="municipality_id",
        organization="organizer_id",
        date="starts_on",
        unit="row",
        fields={
            "kind": "kind",
            "level": "level",
            "horizontal": "horizontal_learning",
            "burnout": "burnout_prevention",
            "for_low_results": "for_low_results",
        },
        flags={"topic": topic_flag("topics")},
    ),
    Population(
        key="internships",
        label="стажировки",
        model="events.Internship",
        region="site__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="person_id",
        date="starts_on",
        fields={"completed": "completed"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="internship_sites",
        label="стажировочные площадки",
        model="events.InternshipSite",
        region="region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        interval=("starts_on", "ends_on"),
        unit="organization",
        fields={"programmes_updated_on": "programmes_updated_on"},
        flags={"new": new_flag("starts_on")},
    ),
    # -- support --------------------------------------------------------------------------------
    Population(
        key="rma_members",
        label="члены методического актива",
        model="support.ActiveMembership",
        region="region_id",
        municipality="municipality_id",
        organization="person__employments__organization_id",
        person="person_id",
        interval=("starts_on", "ends_on"),
        fields={"role": "role", "level": "level", "status": "status", "basis": "basis"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="caseloads",
        label="педагоги, закреплённые за методистами",
        model="support.Caseload",
        **{**_person_territory("teacher"), "region": "region_id"},
        since="assigned_on",
        fields={"automatic": "automatic", "basis": "basis"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="support_acts",
        label="акты методической поддержки работникам",
        model="support.SupportAct",
        **{**_person_territory("person"), "region": "region_id"},
        date="held_on",
        fields={"kind": "kind", "format": "format", "for_team": "for_team"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="support_acts_org",
        label="акты методической поддержки организациям",
        model="support.SupportAct",
        region="region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        date="held_on",
        unit="organization",
        fields={"kind": "kind", "format": "format", "for_team": "for_team"},
    ),
    Population(
        key="expert_roles",
        label="экспертная деятельность",
        model="support.ExpertRole",
        **{**_person_territory("person"), "region": "region_id"},
        interval=("starts_on", "ends_on"),
        fields={"kind": "kind", "level": "level"},
        flags=PEOPLE_FLAGS,
    ),
    # -- mentoring ------------------------------------------------------------------------------
    Population(
        key="mentees",
        label="наставляемые (наставнические пары)",
        model="mentoring.Pair",
        region="mentee__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        person="mentee_id",
        interval=("starts_on", "completed_on"),
        fields={"status": "status", "form": "form", "across_organizations": "across_organizations"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="mentors",
        label="наставники (наставнические пары)",
        model="mentoring.Pair",
        **_person_territory("mentor"),
        interval=("starts_on", "completed_on"),
        fields={"status": "status", "form": "form"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="mentor_profiles",
        label="анкеты наставников",
        model="mentoring.MentorProfile",
        **_person_territory("person"),
        since="created_at__date",
        fields={"public": "public", "active": "active"},
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="mentoring_programs",
        label="программы наставничества организаций",
        model="mentoring.MentoringProgram",
        region="organization__region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        interval=("starts_on", "ends_on"),
        unit="organization",
    ),
    Population(
        key="mentoring_schools",
        label="муниципальные школы наставничества",
        model="mentoring.MentoringSchool",
        region="municipality__region_id",
        municipality="municipality_id",
        interval=("founded_on", "closed_on"),
        unit="municipality",
    ),
    # -- accounts -------------------------------------------------------------------------------
    Population(
        key="municipal_coordinators",
        label="муниципальные координаторы (пользователи)",
        model="accounts.RoleAssignment",
        region="municipality__region_id",
        municipality="municipality_id",
        unit="municipality",
        base=lambda ctx: Q(role="municipal"),
    ),
)


# -- specs ----------------------------------------------------------------------------------------
def validate_spec(spec, *, where: str = "") -> dict:
    """Check a numerator/denominator spec; raises a Russian ValidationError naming the problem."""
    prefix = f"{where}: " if where else ""
    if not isinstance(spec, dict):
        raise ValidationError(f"{prefix}ожидается объект с ключом «population».")
    unknown_keys = set(spec) - SPEC_KEYS
    if unknown_keys:
        raise ValidationError(f"{prefix}неизвестные ключи: {', '.join(sorted(unknown_keys))}.")
    key = spec.get("population")
    pop = POPULATIONS.get(key)
    if pop is None:
        known = ", ".join(sorted(POPULATIONS))
        raise ValidationError(f"{prefix}неизвестная совокупность «{key}». Известные: {known}.")
    filters = spec.get("filters") or {}
    if not isinstance(filters, dict):
        raise ValidationError(f"{prefix}«filters» должен быть объектом.")
    for name in filters:
        if _filter_kind(pop, name) is None:
            allowed = ", ".join(sorted([*pop.fields, *pop.flags])) or "нет"
            raise ValidationError(
                f"{prefix}у совокупности «{key}» нет фильтра «{name}». Допустимые: {allowed}."
            )
    distinct = spec.get("distinct", pop.unit)
    if distinct not in DISTINCTS or pop.path(distinct) is None:
        raise ValidationError(
            f"{prefix}совокупность «{key}» не считается по «{distinct}» "
            f"(можно: {', '.join(d for d in DISTINCTS if pop.path(d))})."
        )
    for part in ("also", "any_of", "none_of"):
        subs = spec.get(part) or []
        if not isinstance(subs, list):
            raise ValidationError(f"{prefix}«{part}» должен быть списком.")
        for sub in subs:
            validate_spec(sub, where=f"{where} → {part}" if where else part)
            match = sub.get("match", "person")
            sub_pop = POPULATIONS[sub["population"]]
            if pop.path(match) is None or sub_pop.path(match) is None:
                raise ValidationError(
                    f"{prefix}совокупности «{key}» и «{sub['population']}» "
                    f"не сопоставляются по «{match}»."
                )
    return spec


def _filter_kind(pop: Population, name: str):
    if name in pop.flags:
        return "flag"
    if name in pop.fields:
        return "field"
    base, _, suffix = name.rpartition("__")
    if base in pop.fields and suffix in SUFFIXES:
        return "field"
    return None


def _interval_q(interval, ctx) -> Q:
    start, end = interval
    q = Q(**{f"{start}__lte": ctx.ends_on})
    if end:
        q &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": ctx.starts_on})
    return q


def period_q(pop: Population, ctx: Ctx) -> Q:
    if pop.date:
        return Q(**{f"{pop.date}__gte": ctx.starts_on, f"{pop.date}__lte": ctx.ends_on})
    if pop.interval:
        return _interval_q(pop.interval, ctx)
    if pop.since:
        return Q(**{f"{pop.since}__lte": ctx.ends_on})
    return Q()


def _field_q(pop: Population, name: str, value) -> Q:
    if name in pop.fields:
        path, suffix = pop.fields[name], None
    else:
        base, _, suffix = name.rpartition("__")
        path = pop.fields[base]
    if suffix == "ne":
        return ~Q(**{path: value})
    if suffix:
        return Q(**{f"{path}__{suffix}": value})
    if isinstance(value, list):
        return Q(**{f"{path}__in": value})
    return Q(**{path: value})


def annotations(pop: Population, spec: dict) -> dict:
    """Text casts the topic flags of the spec (and its nested specs) compare against."""
    found = {}
    for name in spec.get("filters") or {}:
        flag = pop.flags.get(name)
        if flag is not None and hasattr(flag, "annotation"):
            alias, path = flag.annotation
            found[alias] = Cast(path, output_field=CharField())
    return found


def spec_q(spec: dict, ctx: Ctx) -> Q:
    """The condition on the population's model for the spec in the period."""
    pop = POPULATIONS[spec["population"]]
    q = period_q(pop, ctx)
    if pop.base is not None:
        q &= pop.base(ctx)
    for name, value in (spec.get("filters") or {}).items():
        if name in pop.flags:
            q &= pop.flags[name](value, ctx, pop)
        else:
            q &= _field_q(pop, name, value)
    for part in ("also", "any_of", "none_of"):
        subs = spec.get(part) or []
        if not subs:
            continue
        conditions = [_membership_q(pop, sub, ctx) for sub in subs]
        if part == "also":
            for condition in conditions:
                q &= condition
        else:
            union = Q(pk__in=[])
            for condition in conditions:
                union |= condition
            q &= union if part == "any_of" else ~union
    return q


def _membership_q(pop: Population, sub: dict, ctx: Ctx) -> Q:
    match = sub.get("match", "person")
    sub_pop = POPULATIONS[sub["population"]]
    model = sub_pop.model_class()
    if model is None:
        return Q(pk__in=[])
    path = sub_pop.path(match)
    queryset = model.objects.annotate(**annotations(sub_pop, sub)).filter(spec_q(sub, ctx))
    ids = queryset.filter(**{f"{path}__isnull": False}).order_by().values(path)
    return Q(**{f"{pop.path(match)}__in": shared_ids(ids)})


def queryset(spec: dict, ctx: Ctx):
    """The population's records behind the spec in the period (None: the app is not there), or
    raises FieldError when a field is not there yet."""
    pop = POPULATIONS[spec["population"]]
    model = pop.model_class()
    if model is None:
        return None
    return model.objects.annotate(**annotations(pop, spec)).filter(spec_q(spec, ctx))


def available(spec: dict, ctx: Ctx) -> bool:
    """Whether the spec can be computed now (its apps and fields exist)."""
    try:
        if queryset(spec, ctx) is None:  # filter() resolves every lookup: FieldError here
            return False
    except (FieldError, LookupError, ValueError, TypeError):
        return False
    return True


def checked_q(spec: dict, ctx: Ctx):
    """The spec's condition when it can be computed now (its app and fields exist), else None."""
    pop = POPULATIONS[spec["population"]]
    model = pop.model_class()
    if model is None:
        return None
    try:
        condition = spec_q(spec, ctx)
        model.objects.annotate(**annotations(pop, spec)).filter(condition)
    except (FieldError, LookupError, ValueError, TypeError):
        return None
    return condition


def counted_path(spec: dict) -> str:
    pop = POPULATIONS[spec["population"]]
    return pop.path(spec.get("distinct", pop.unit))


# -- the drill-down -------------------------------------------------------------------------------
def members(indicator, part: str, period: str, scope_type: str, scope_id: int):
    """The records behind an indicator's numerator or denominator in a period and territory:
    people when it counts people, organizations or municipalities when it counts those, else the
    population's rows. An empty queryset when it is not computed from records."""
    from nms.monitoring.compute import parse_period
    from nms.registry.models import Municipality, Organization, Person

    spec = getattr(indicator, part) or {}
    if indicator.method != "records" and not spec:
        spec = (indicator.parameters or {}).get(f"{part}_spec") or {}
    if not spec or spec.get("population") not in POPULATIONS:
        return Person.objects.none()
    _, starts_on, ends_on = parse_period(period)
    ctx = Ctx(starts_on, ends_on)
    pop = POPULATIONS[spec["population"]]
    distinct = spec.get("distinct", pop.unit)
    target = {
        "person": Person,
        "organization": Organization,
        "municipality": Municipality,
    }.get(distinct)
    try:
        records = queryset(spec, ctx)
    except FieldError:
        records = None
    if records is None:
        return (target or Person).objects.none()
    territory = pop.territory(scope_type)
    if territory is None:
        return (target or Person).objects.none()
    records = records.filter(**{territory: scope_id})
    if target is None:
        return records.distinct()
    ids = records.filter(**{f"{pop.path(distinct)}__isnull": False}).order_by()
    return target.objects.filter(pk__in=ids.values(pop.path(distinct)))


# The populations of the later apps, each in its own module (they call `_add` above).
from nms.monitoring import (  # noqa: E402, F401
    populations_catalogs,
    populations_outcomes,
    populations_portal,
    populations_roadmap,
    populations_staffing,
)
