"""The regional passport of further professional education (региональный паспорт ДПО; B3, Ф15,
Ф187): the figures of a region for a period and their XLSX in the layout documented in
docs/exchange.md («Исходящий файл: паспорт ДПО»).

Everything is counted in SQL aggregates (a fixed number of queries whatever the region's size)
from the programmes (nms.programs: catalogue, runs, enrollments, completions), the events
(nms.events: participations) and the diagnostics (nms.diagnostics: results). A pedagogue is a
person of the region with a pedagogical position (registry.Position.is_pedagogical); a manager is
one with a managerial post (Employment.manager_kind); a young pedagogue follows the registry's
rule (under 35, up to 3 years of experience, on the period's last day).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from openpyxl import Workbook

from nms.common.xlsx import add_sheet, workbook_bytes, write_row
from nms.diagnostics.models import Result
from nms.events.models import Participation
from nms.programs.models import Enrollment, EnrollmentStatus, Programme, ProgrammeKind
from nms.programs.selectors import completions_q
from nms.registry.models import Employment, Municipality, Person
from nms.registry.selectors import young_teacher_q

FORMAT_VERSION = "1.0"

SUMMARY_SHEET = "Паспорт"
PROGRAMMES_SHEET = "Программы"
CATEGORIES_SHEET = "Категории"
MUNICIPALITIES_SHEET = "Муниципалитеты"
PROVIDERS_SHEET = "Разработчики"

PROGRAMME_COLUMNS = [
    ("Номер в ФР ДПП", 16), ("Наименование", 60), ("Вид", 26), ("Объём, ч", 10),
    ("Форма реализации", 16), ("Организация-разработчик", 40), ("В ФР ДПП", 10),
    ("Потоков в периоде", 12), ("Зачислено", 12), ("Завершили", 12),
]  # fmt: skip
CATEGORY_COLUMNS = [
    ("Категория", 44), ("Работников", 12), ("Зачислено, чел.", 14), ("Завершили, чел.", 14),
    ("Доля завершивших, %", 14),
]  # fmt: skip
MUNICIPALITY_COLUMNS = [
    ("Муниципалитет", 36), ("ОКТМО", 14), ("Педагогических работников", 14),
    ("Завершили ДПП, чел.", 14), ("Доля обученных, %", 12), ("Участники мероприятий, чел.", 14),
    ("Прошли диагностику, чел.", 14),
]  # fmt: skip
PROVIDER_COLUMNS = [("Организация-разработчик", 50), ("Программ", 12), ("Завершили", 12)]


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Passport:
    region: object
    starts_on: date
    ends_on: date
    summary: list[tuple[str, object]] = field(default_factory=list)
    programmes: list[list] = field(default_factory=list)
    categories: list[list] = field(default_factory=list)
    municipalities: list[list] = field(default_factory=list)
    providers: list[list] = field(default_factory=list)

    def figure(self, label: str):
        return dict(self.summary).get(label)


def _people(region, **filters):
    employments = Employment.objects.filter(
        organization__region=region, position__is_pedagogical=True, **filters
    )
    return Person.objects.filter(region=region, pk__in=employments.values("person_id"))


def build(region, starts_on: date, ends_on: date) -> Passport:
    passport = Passport(region, starts_on, ends_on)
    in_period = Q(enrolled_on__gte=starts_on, enrolled_on__lte=ends_on)
    completed = completions_q(starts_on, ends_on)
    enrollments = Enrollment.objects.filter(person__region=region)
    pedagogues = _people(region)
    managers = Person.objects.filter(
        region=region,
        pk__in=Employment.objects.filter(organization__region=region)
        .exclude(manager_kind="")
        .values("person_id"),
    )
    young = pedagogues.filter(young_teacher_q(ends_on))
    trained_ids = enrollments.filter(completed).values("person_id")
    enrolled_ids = enrollments.filter(in_period).values("person_id")

    catalogue = Programme.objects.filter(region=region).aggregate(
        total=Count("pk"),
        federal=Count("pk", filter=Q(in_federal_registry=True)),
        pk_kind=Count("pk", filter=Q(kind=ProgrammeKind.PK)),
        pp_kind=Count("pk", filter=Q(kind=ProgrammeKind.PP)),
    )
    counts = enrollments.aggregate(
        enrolled=Count("pk", filter=in_period),
        completed=Count("pk", filter=completed),
        completed_federal=Count(
            "pk", filter=completed & Q(run__programme__in_federal_registry=True)
        ),
        dropped=Count(
            "pk",
            filter=Q(
                status=EnrollmentStatus.DROPPED,
                dropped_on__gte=starts_on,
                dropped_on__lte=ends_on,
            ),
        ),
        runs=Count(
            "run",
            filter=Q(run__starts_on__lte=ends_on, run__ends_on__gte=starts_on),
            distinct=True,
        ),
    )
    pedagogues_total = pedagogues.count()
    trained = pedagogues.filter(pk__in=trained_ids).count()
    participants = (
        Participation.objects.filter(
            event__region=region, event__starts_on__gte=starts_on, event__starts_on__lte=ends_on
        )
        .values("person_id")
        .distinct()
        .count()
    )
    diagnosed = Result.objects.filter(
        person__region=region, taken_on__gte=starts_on, taken_on__lte=ends_on
    )
    diagnosed_people = diagnosed.values("person_id").distinct().count()
    with_deficits = diagnosed.filter(has_deficit=True).values("person_id").distinct().count()
    providers = (
        Programme.objects.filter(region=region)
        .exclude(provider_name="")
        .values("provider_name")
        .distinct()
        .count()
    )
    passport.summary = [
        ("Регион", region.name),
        ("Код региона", getattr(region, "code", "") or ""),
        ("Период: начало", starts_on),
        ("Период: окончание", ends_on),
        ("Дата формирования", date.today()),
        ("Версия формата", FORMAT_VERSION),
        ("Программ ДПП в каталоге региона", catalogue["total"]),
        ("Из них в ФР ДПП", catalogue["federal"]),
        ("Программ повышения квалификации", catalogue["pk_kind"]),
        ("Программ профессиональной переподготовки", catalogue["pp_kind"]),
        ("Организаций-разработчиков", providers),
        ("Потоков (групп) в периоде", counts["runs"]),
        ("Зачислений в периоде", counts["enrolled"]),
        ("Завершений обучения в периоде", counts["completed"]),
        ("Из них по программам ФР ДПП", counts["completed_federal"]),
        ("Отчислений в периоде", counts["dropped"]),
        ("Педагогических работников", pedagogues_total),
        ("Прошли обучение по ДПП в периоде, чел.", trained),
        ("Доля педагогических работников, прошедших обучение, %", share(trained, pedagogues_total)),
        ("Участники мероприятий в периоде, чел.", participants),
        ("Прошли диагностику профессиональных компетенций, чел.", diagnosed_people),
        ("Из них с выявленными дефицитами, чел.", with_deficits),
    ]

    # -- programmes with runs, enrollments or completions in the period
    rows = (
        Programme.objects.filter(region=region)
        .annotate(
            period_runs=Count(
                "runs",
                filter=Q(runs__starts_on__lte=ends_on, runs__ends_on__gte=starts_on),
                distinct=True,
            ),
            period_enrolled=Count(
                "runs__enrollments",
                filter=Q(
                    runs__enrollments__enrolled_on__gte=starts_on,
                    runs__enrollments__enrolled_on__lte=ends_on,
                ),
                distinct=True,
            ),
            period_completed=Count(
                "runs__enrollments",
                filter=Q(
                    runs__enrollments__status=EnrollmentStatus.COMPLETED,
                    runs__enrollments__completed_on__gte=starts_on,
                    runs__enrollments__completed_on__lte=ends_on,
                ),
                distinct=True,
            ),
        )
        .filter(Q(period_runs__gt=0) | Q(period_enrolled__gt=0) | Q(period_completed__gt=0))
        .order_by("title", "pk")
    )
    for p in rows:
        passport.programmes.append(
            [
                p.federal_number, p.title, p.get_kind_display(), p.hours, p.get_format_display(),
                p.provider_name, "да" if p.in_federal_registry else "нет", p.period_runs,
                p.period_enrolled, p.period_completed,
            ]
        )  # fmt: skip

    # -- categories
    for label, people in (
        ("Педагогические работники", pedagogues),
        ("Руководители (управленческие работники)", managers),
        ("Молодые педагоги (до 35 лет, стаж до 3 лет)", young),
    ):
        figures = people.aggregate(
            total=Count("pk", distinct=True),
            enrolled=Count("pk", filter=Q(pk__in=enrolled_ids), distinct=True),
            completed=Count("pk", filter=Q(pk__in=trained_ids), distinct=True),
        )
        passport.categories.append(
            [
                label,
                figures["total"],
                figures["enrolled"],
                figures["completed"],
                share(figures["completed"], figures["total"]),
            ]
        )

    # -- municipalities: where the pedagogues work (a person counts in each they work in)
    ped = Employment.objects.filter(organization__region=region, position__is_pedagogical=True)
    by_municipality = {
        row["organization__municipality_id"]: row
        for row in ped.order_by()
        .values("organization__municipality_id")
        .annotate(
            total=Count("person_id", distinct=True),
            trained=Count("person_id", filter=Q(person_id__in=trained_ids), distinct=True),
            participants=Count(
                "person_id",
                filter=Q(
                    person__participations__event__starts_on__gte=starts_on,
                    person__participations__event__starts_on__lte=ends_on,
                ),
                distinct=True,
            ),
            diagnosed=Count(
                "person_id",
                filter=Q(person_id__in=diagnosed.values("person_id")),
                distinct=True,
            ),
        )
    }
    for municipality in Municipality.objects.filter(region=region).order_by("name"):
        row = by_municipality.get(municipality.pk, {})
        total, trained_here = row.get("total", 0), row.get("trained", 0)
        passport.municipalities.append(
            [
                municipality.name, municipality.oktmo, total, trained_here,
                share(trained_here, total), row.get("participants", 0), row.get("diagnosed", 0),
            ]
        )  # fmt: skip

    # -- providers
    for row in (
        Programme.objects.filter(region=region)
        .exclude(provider_name="")
        .values("provider_name")
        .annotate(
            programmes=Count("pk", distinct=True),
            completed=Count(
                "runs__enrollments",
                filter=Q(
                    runs__enrollments__status=EnrollmentStatus.COMPLETED,
                    runs__enrollments__completed_on__gte=starts_on,
                    runs__enrollments__completed_on__lte=ends_on,
                ),
                distinct=True,
            ),
        )
        .order_by("provider_name")
    ):
        passport.providers.append([row["provider_name"], row["programmes"], row["completed"]])
    return passport


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.date()
    return value


def passport_xlsx(passport: Passport) -> bytes:
    """The workbook: «Паспорт» (field, value), then one sheet per table (docs/exchange.md)."""
    workbook = Workbook(write_only=True)
    sheet = add_sheet(workbook, SUMMARY_SHEET, [("Показатель", 60), ("Значение", 30)])
    for label, value in passport.summary:
        write_row(sheet, [label, _cell(value)])
    for title, columns, rows in (
        (PROGRAMMES_SHEET, PROGRAMME_COLUMNS, passport.programmes),
        (CATEGORIES_SHEET, CATEGORY_COLUMNS, passport.categories),
        (MUNICIPALITIES_SHEET, MUNICIPALITY_COLUMNS, passport.municipalities),
        (PROVIDERS_SHEET, PROVIDER_COLUMNS, passport.providers),
    ):
        sheet = add_sheet(workbook, title, columns)
        for row in rows:
            write_row(sheet, [_cell(v) for v in row])
    return workbook_bytes(workbook)
