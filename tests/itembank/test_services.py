"""The item bank: human notation, validation, rights, review, XLSX round trip and import, demo."""

from collections import Counter
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from nms.accounts.models import Role
from nms.diagnostics.models import Attempt, Group, Procedure, Variant, VariantItem
from nms.diagnostics.variants import assemble_variants
from nms.itembank import importers, scoring, selectors, services
from nms.itembank.demo import DEMO_BANK, load_demo_bank
from nms.itembank.models import Difficulty, Item, ItemKind, ReviewStatus, SubCompetency
from nms.registry.models import Subject
from tests.factories import PersonFactory

HEADERS = [c.header for c in importers.COLUMNS]
FIELDS = ["code", "area_id", "subcompetency_id", "subject_id", "kind", "difficulty", "text"]
FIELDS += ["options", "key", "points", "status"]


@pytest.fixture
def cnppm(make_user):
    return make_user(Role.CNPPM)


def form_data(areas, **changes) -> dict:
    data = {
        "code": "МЕТ-100",
        "area": areas["methodical"],
        "subcompetency": None,
        "subject": None,
        "kind": ItemKind.SINGLE,
        "difficulty": Difficulty.EASY,
        "text": "Какой документ устанавливает требования к результатам?",
        "options": "ФГОС\nУстав\nЛокальный акт",
        "options_right": "",
        "key": "1",
        "points": 1,
    }
    data.update(changes)
    return data


def xlsx(rows, headers=HEADERS) -> BytesIO:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(**changes) -> dict:
    values = {
        "Шифр": "ИКТ-100",
        "Область": "ИКТ",
        "Тип": "один верный ответ",
        "Сложность": "базовый",
        "Формулировка": "Какой пароль надёжнее?",
        "Варианты": "Kp7#vQ2!mZ9t\n12345678\nqwerty",
        "Ключ": "1",
        "Баллы": 1,
        "Статус": "утверждено",
    }
    values.update(changes)
    return values


def snapshot() -> dict:
    return {v["code"]: v for v in Item.objects.values(*FIELDS)}


# -- the human notation ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "options", "right", "key", "stored_options", "stored_key"),
    [
        (ItemKind.SINGLE, "А\nБ\nВ", "", "2", ["А", "Б", "В"], 1),
        (ItemKind.MULTIPLE, "А\n Б \n\nВ\nГ", "", "1; 3", ["А", "Б", "В", "Г"], [0, 2]),
        (
            ItemKind.SHORT,
            "",
            "",
            "ФГОС;  федеральный   стандарт ;",
            [],
            ["ФГОС", "федеральный стандарт"],
        ),
        (
            ItemKind.MATCHING,
            "один\nдва\nтри",
            "x\ny\nz",
            "1-3; 2–1; 3 - 2",
            {"left": ["один", "два", "три"], "right": ["x", "y", "z"]},
            [2, 0, 1],
        ),
        (ItemKind.ORDERING, "А\nБ\nВ", "", "2; 1; 3", ["А", "Б", "В"], [1, 0, 2]),
    ],
)
def test_item_create_reads_the_human_notation(
    cnppm, areas, kind, options, right, key, stored_options, stored_key
):
    data = form_data(areas, kind=kind, options=options, options_right=right, key=key)
    item = services.item_create(cnppm, data)
    item.refresh_from_db()
    assert (item.options, item.key) == (stored_options, stored_key)
    assert item.status == ReviewStatus.DRAFT
    assert scoring.key_error(item.kind, item.options, item.key) is None
    assert services.parse_key(kind, services.format_key(kind, item.key), item.options) == item.key


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"key": "3", "options": "А\nБ"}, "key", "Нет варианта с номером 3: их всего 2."),
        ({"key": "два"}, "key", "Укажите ключ: номер верного варианта, например «2»."),
        ({"options": "А"}, "options", "Нужно не меньше двух вариантов — по одному на строке."),
        ({"options": "Ответ\nответ"}, "options", "Вариант «ответ» повторяется."),
        (
            {"kind": ItemKind.MULTIPLE, "key": "1; 1"},
            "key",
            "Номер варианта указан в ключе дважды.",
        ),
        (
            {"kind": ItemKind.ORDERING, "key": "1; 2"},
            "key",
            "Перечислите все варианты (от 1 до 3) по одному разу в верном порядке.",
        ),
        (
            {"kind": ItemKind.MATCHING, "options": "а\nб", "options_right": "x\ny", "key": "1-2"},
            "key",
            "Нет пары для строк левого столбца: 2.",
        ),
        (
            {"kind": ItemKind.MATCHING, "options": "а\nб", "options_right": "", "key": "1-1"},
            "options_right",
            "В каждом столбце соответствия нужно не меньше двух строк.",
        ),
        (
            {
                "kind": ItemKind.MATCHING,
                "options": "а\nб",
                "options_right": "x\ny",
                "key": "1-2; 2-5",
            },
            "key",
            "Нет строки правого столбца с номером 5: их всего 2.",
        ),
        ({"kind": ItemKind.SHORT, "key": " ; "}, "key", "Укажите ключ: верные ответы через «;»"),
        ({"text": "  "}, "text", "Заполните формулировку."),
        ({"points": 0}, "points", "Баллы — целое число от 1 до 100."),
        ({"code": ""}, "code", "Укажите шифр."),
    ],
)
def test_invalid_items_get_russian_errors_per_field(cnppm, areas, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.item_create(cnppm, form_data(areas, **changes))
    assert error.value.message_dict[field][0].startswith(message)
    assert not Item.objects.exists()


def test_subject_only_and_always_for_subject_items(cnppm, areas):
    maths = Subject.objects.get(name="математика")
    with pytest.raises(ValidationError) as error:
        services.item_create(cnppm, form_data(areas, area=areas["subject"]))
    assert error.value.message_dict["subject"] == [
        "Для заданий предметной области укажите предмет."
    ]
    with pytest.raises(ValidationError) as error:
        services.item_create(cnppm, form_data(areas, subject=maths))
    assert "только в заданиях предметной области" in error.value.message_dict["subject"][0]
    alien = SubCompetency.objects.filter(area=areas["ict"]).first()
    with pytest.raises(ValidationError) as error:
        services.item_create(cnppm, form_data(areas, subcompetency=alien))
    assert "не относится к области «методическая»" in error.value.message_dict["subcompetency"][0]
    item = services.item_create(cnppm, form_data(areas, area=areas["subject"], subject=maths))
    assert item.subject == maths


def test_codes_are_unique(cnppm, areas):
    services.item_create(cnppm, form_data(areas))
    with pytest.raises(ValidationError) as error:
        services.item_create(cnppm, form_data(areas))
    assert error.value.message_dict["code"] == ["Задание с таким шифром уже есть в банке."]


# -- rights and review -------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.EXPERT, Role.TEACHER, Role.SCHOOL, Role.MINISTRY])
def test_only_bank_editors_create_and_change(make_user, cnppm, areas, role):
    user = make_user(role)
    item = services.item_create(cnppm, form_data(areas))
    with pytest.raises(PermissionDenied, match="нет прав на изменение банка"):
        services.item_create(user, form_data(areas, code="X-1"))
    with pytest.raises(PermissionDenied):
        services.item_update(user, item, form_data(areas, text="Другая формулировка"))
    with pytest.raises(PermissionDenied):
        importers.bank_import(user, xlsx([row()]))


def test_review_path_and_who_walks_it(make_user, cnppm, areas):
    expert, teacher = make_user(Role.EXPERT), make_user(Role.TEACHER)
    item = services.item_create(cnppm, form_data(areas))
    with pytest.raises(ValidationError, match="«черновик» нельзя перевести в «утверждено»"):
        services.item_set_status(cnppm, item, ReviewStatus.APPROVED)
    with pytest.raises(PermissionDenied, match="нет прав на экспертизу"):
        services.item_set_status(teacher, item, ReviewStatus.REVIEW)
    assert [s for s, _ in services.status_actions(expert, item)] == [ReviewStatus.REVIEW]
    assert services.status_actions(teacher, item) == []
    services.item_set_status(cnppm, item, ReviewStatus.REVIEW)
    item = services.item_set_status(expert, item, ReviewStatus.APPROVED)
    assert item.status == ReviewStatus.APPROVED
    assert services.item_set_status(expert, item, ReviewStatus.DRAFT).status == ReviewStatus.DRAFT
    services.item_set_status(expert, item, ReviewStatus.REVIEW)
    assert services.item_set_status(expert, item, ReviewStatus.REJECTED).status == "rejected"


def test_changing_an_approved_item_sends_it_back_to_review(cnppm, areas):
    item = services.item_create(cnppm, form_data(areas))
    Item.objects.filter(pk=item.pk).update(status=ReviewStatus.APPROVED)
    item = services.item_update(cnppm, item, form_data(areas, difficulty=Difficulty.HARD))
    assert (item.difficulty, item.status) == (Difficulty.HARD, ReviewStatus.APPROVED)
    item = services.item_update(cnppm, item, form_data(areas, key="2", difficulty=Difficulty.HARD))
    item.refresh_from_db()
    assert (item.key, item.status) == (1, ReviewStatus.REVIEW)


def _take(item, region):
    """Put the item in a variant somebody has started."""
    today = date.today()
    procedure = Procedure.objects.create(
        region=region,
        name="Диагностика",
        level="regional",
        starts_on=today,
        ends_on=today + timedelta(days=10),
    )
    group = Group.objects.create(procedure=procedure, number=1, name="Группа 1")
    variant = Variant.objects.create(group=group)
    VariantItem.objects.create(variant=variant, item=item, position=1)
    Attempt.objects.create(
        person=PersonFactory(region=region),
        variant=variant,
        procedure=procedure,
        started_at=timezone.now(),
    )


def test_key_of_a_taken_item_is_frozen_but_wording_is_not(cnppm, areas, region):
    item = services.item_create(cnppm, form_data(areas))
    assert not services.item_in_use(item)
    _take(item, region)
    assert services.item_in_use(item)
    for changes in ({"key": "2"}, {"points": 2}, {"options": "ФГОС\nУстав\nПриказ"}):
        with pytest.raises(ValidationError, match="ключ и баллы менять нельзя"):
            services.item_update(cnppm, item, form_data(areas, **changes))
    item = services.item_update(cnppm, item, form_data(areas, text="Уточнённая формулировка"))
    assert item.text == "Уточнённая формулировка"
    file = xlsx([row(**{"Шифр": item.code, "Область": "методическая", "Ключ": "2"})])
    report = importers.bank_import(cnppm, file)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "Ключ", services.IN_USE)]


def test_search_ignores_case_and_yo(cnppm, areas):
    services.item_create(cnppm, form_data(areas, code="ВОС-1", text="Внутришкольный учёт и ФГОС"))
    services.item_create(cnppm, form_data(areas, code="ВОС-2", text="Рабочая программа воспитания"))
    items = Item.objects.all()
    assert [i.code for i in selectors.search_items(items, "УЧЕТ фгос")] == ["ВОС-1"]
    assert [i.code for i in selectors.search_items(items, "учёт")] == ["ВОС-1"]
    assert [i.code for i in selectors.search_items(items, "вос-2")] == ["ВОС-2"]
    assert list(selectors.search_items(items, "(учёт")) == []


# -- XLSX --------------------------------------------------------------------------------------
@pytest.fixture
def varied(cnppm, areas):
    """One item of every kind, with a subject, a sub-competency and multi-line wording."""
    maths = Subject.objects.get(name="математика")
    sub = SubCompetency.objects.filter(area=areas["ict"]).first()
    made = [
        form_data(areas, code="А-1", text="Строка 1\n  с отступом\nстрока 3", subcompetency=None),
        form_data(
            areas,
            code="А-2",
            kind=ItemKind.MULTIPLE,
            key="1; 3",
            area=areas["ict"],
            subcompetency=sub,
            points=3,
            difficulty=Difficulty.HARD,
        ),
        form_data(
            areas,
            code="А-3",
            kind=ItemKind.SHORT,
            key="2,5; 2.5",
            area=areas["subject"],
            subject=maths,
            text="Найдите 0,5 · 5.",
        ),
        form_data(
            areas,
            code="А-4",
            kind=ItemKind.MATCHING,
            options="y = 2x\ny = x²",
            options_right="парабола\nпрямая\nгипербола",
            key="1-2; 2-1",
        ),
        form_data(areas, code="А-5", kind=ItemKind.ORDERING, key="3; 1; 2"),
    ]
    for data in made:
        services.item_create(cnppm, data)
    Item.objects.filter(code="А-2").update(status=ReviewStatus.APPROVED)
    return Item.objects.order_by("code")


def test_export_is_readable_by_hand(varied):
    sheet = load_workbook(BytesIO(importers.bank_export_xlsx(varied))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_code = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert by_code["А-1"]["Ключ"] == "1"
    assert by_code["А-1"]["Варианты"] == "ФГОС\nУстав\nЛокальный акт"
    assert by_code["А-2"]["Статус"] == "утверждено"
    assert by_code["А-2"]["Сложность"] == "высокий"
    assert by_code["А-3"]["Предмет"] == "математика"
    assert by_code["А-3"]["Ключ"] == "2,5; 2.5"
    assert by_code["А-4"]["Варианты (правый столбец)"] == "парабола\nпрямая\nгипербола"
    assert by_code["А-4"]["Ключ"] == "1-2; 2-1"
    assert by_code["А-5"]["Тип"] == "установление последовательности"


def test_export_import_round_trip(cnppm, varied):
    before = snapshot()
    content = importers.bank_export_xlsx(varied)
    report = importers.bank_import(cnppm, BytesIO(content))
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert "совпадают с банком заданий" in report.summary
    Item.objects.all().delete()
    report = importers.bank_import(cnppm, BytesIO(content))
    assert (report.created, report.updated) == (5, 0), report.errors
    after = snapshot()
    for values in (*before.values(), *after.values()):
        values.pop("id", None)
    assert after == before


def test_import_creates_updates_and_reimport_changes_nothing(cnppm, areas):
    file = xlsx(
        [
            row(**{"Компетенция": "Использование цифровых образовательных ресурсов"}),
            row(
                **{
                    "Шифр": "ИКТ-101",
                    "Тип": "установление соответствия",
                    "Варианты": "фишинг\nкибербуллинг",
                    "Варианты (правый столбец)": "травля в сети\nподдельные письма",
                    "Ключ": "1-2; 2-1",
                    "Компетенция": "ИКТ: информационная безопасность",
                    "Сложность": 3,
                    "Статус": None,
                }
            ),
        ]
    )
    report = importers.bank_import(cnppm, file)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0), report.errors
    matching = Item.objects.get(code="ИКТ-101")
    assert matching.key == [1, 0]
    assert matching.subcompetency.name == "информационная безопасность"
    assert (matching.difficulty, matching.status) == (3, ReviewStatus.DRAFT)
    plain = Item.objects.get(code="ИКТ-100")
    assert plain.status == ReviewStatus.APPROVED
    assert plain.subcompetency.name == "использование цифровых образовательных ресурсов"
    file.seek(0)
    report = importers.bank_import(cnppm, file)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    report = importers.bank_import(cnppm, xlsx([row(**{"Ключ": "2"})]))
    assert (report.created, report.updated) == (0, 1)
    assert Item.objects.get(code="ИКТ-100").key == 1


def test_import_changing_an_approved_key_sends_it_to_review_unless_status_given(cnppm, areas):
    importers.bank_import(cnppm, xlsx([row()]))
    headers = [h for h in HEADERS if h != "Статус"]
    importers.bank_import(cnppm, xlsx([row(**{"Ключ": "2"})], headers))
    assert Item.objects.get().status == ReviewStatus.REVIEW
    importers.bank_import(cnppm, xlsx([row(**{"Ключ": "3"})]))
    assert Item.objects.get().status == ReviewStatus.APPROVED


def test_import_is_all_or_nothing_with_row_errors(cnppm, areas):
    file = xlsx(
        [
            row(**{"Шифр": "OK-1"}),
            row(**{"Шифр": "BAD-1", "Ключ": "4"}),
            row(**{"Шифр": "BAD-2", "Область": "астрология"}),
            row(**{"Шифр": "BAD-3", "Область": "предметная"}),
            row(**{"Шифр": "OK-1"}),
            row(**{"Шифр": "BAD-4", "Тип": "эссе", "Баллы": "много"}),
            row(**{"Шифр": "BAD-5", "Компетенция": "стратегическое планирование развития ОО"}),
            row(**{"Шифр": "BAD-6", "Варианты": "один"}),
            row(**{"Шифр": "BAD-7", "Формулировка": None}),
        ]
    )
    report = importers.bank_import(cnppm, file)
    assert not report.ok
    assert Item.objects.count() == 0
    found = {(e.row, e.column): (e.value, e.message) for e in report.errors}
    assert found[(3, "Ключ")] == ("4", "нет варианта с номером 4: их всего 3")
    assert found[(4, "Область")][1].startswith("неизвестная область компетенций")
    assert found[(5, "Предмет")][1] == "для заданий предметной области укажите предмет"
    assert found[(6, "Шифр")] == ("OK-1", "шифр уже встречается в строке 2")
    assert found[(7, "Тип")][0] == "эссе"
    assert found[(7, "Баллы")][1] == "баллы — целое число от 1 до 100"
    assert found[(8, "Компетенция")][1].startswith("в области «ИКТ» нет такой компетенции")
    assert found[(9, "Варианты")][1] == "нужно не меньше двух вариантов — по одному на строке"
    assert found[(10, "Формулировка")][1] == "обязательное поле не заполнено"
    assert report.summary.startswith("Файл не загружен, ничего не сохранено. Найдено ошибок: 9.")
    assert (
        str(report.errors[0])
        == "Строка 3, столбец «Ключ», значение «4»: нет варианта с номером 4: их всего 3"
    )


def test_import_rejects_bad_files(cnppm, db):
    report = importers.bank_import(cnppm, BytesIO(b"not a workbook"))
    assert report.errors[0].message.startswith("Не удалось прочитать файл")
    report = importers.bank_import(cnppm, xlsx([["X-1", "ИКТ"]], headers=["Шифр", "Область"]))
    assert {(e.row, e.column) for e in report.errors} == {
        (None, "Тип"),
        (None, "Формулировка"),
        (None, "Ключ"),
    }
    assert all(e.message == "в файле нет обязательного столбца" for e in report.errors)


def test_template_lists_allowed_values(db):
    workbook = load_workbook(BytesIO(importers.bank_template_xlsx()))
    assert workbook.sheetnames == ["Банк заданий", "Справочники", "Как заполнять"]
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    reference = {c.value: c.column for c in workbook["Справочники"][1]}
    areas = [r[0] for r in workbook["Справочники"].iter_rows(min_row=2, values_only=True)]
    assert "управленческая" in areas and "Тип" in reference


def test_import_items_command(cnppm, areas, tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx([row()]).getvalue())
    call_command("import-items", str(path))
    assert Item.objects.filter(code="ИКТ-100").exists()
    path.write_bytes(xlsx([row(**{"Ключ": "9"})]).getvalue())
    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command("import-items", str(path))


# -- the demo bank -----------------------------------------------------------------------------
@pytest.fixture
def demo(areas):
    load_demo_bank()
    return Item.objects.select_related("area", "subject")


def test_demo_bank_is_large_valid_and_covers_everything(demo, areas):
    items = list(demo)
    assert len(items) >= 300
    assert all(i.status == ReviewStatus.APPROVED for i in items)
    for item in items:
        assert scoring.key_error(item.kind, item.options, item.key) is None, item.code
        assert services.options_error(item.kind, item.options) is None, item.code
        assert (item.subject_id is not None) == item.area.is_subject, item.code
    for area in areas.values():
        own = [i for i in items if i.area_id == area.pk]
        assert {i.kind for i in own} == set(ItemKind.values), area.code
        assert {i.difficulty for i in own} == set(Difficulty.values), area.code
        if not area.is_subject:
            cells = Counter(i.difficulty for i in own)
            assert min(cells.values()) >= 8, area.code
    medium_by_subject = Counter(
        i.subject.name for i in items if i.subject and i.difficulty == Difficulty.MEDIUM
    )
    assert sum(1 for n in medium_by_subject.values() if n >= 6) >= 5
    assert {"математика", "русский язык", "физика", "история", "биология", "информатика"} <= set(
        medium_by_subject
    )
    assert len({i.text for i in items}) == len(items)
    assert load_demo_bank() == 0
    assert Item.objects.count() == len(items)


def test_demo_bank_is_deterministic(areas):
    load_demo_bank()
    first = snapshot()
    Item.objects.all().delete()
    load_demo_bank()
    second = snapshot()
    for values in (*first.values(), *second.values()):
        values.pop("id", None)
    assert first == second


def test_demo_bank_leaves_the_items_already_in_the_bank(demo):
    item = demo.get(code="ИКТ-001")
    item.text = "Изменено в банке"
    item.save(update_fields=["text"])
    assert load_demo_bank() == 0
    item.refresh_from_db()
    assert item.text == "Изменено в банке"


def test_demo_bank_file_goes_through_the_bank_import(areas):
    """The data file is the bank's own format: the import (with its validation) reads it."""
    with DEMO_BANK.open("rb") as file:
        report = importers.bank_import(None, file)
    assert report.ok, report.errors[:3]
    assert report.created == Item.objects.count() >= 300


def test_demo_bank_assembles_thirteen_distinct_variants(demo, areas, region):
    today = date.today()
    procedure = Procedure.objects.create(
        region=region,
        name="Входная диагностика",
        level="regional",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        seed=3,
    )
    for area in areas.values():
        procedure.blueprint.create(area=area, easy=2, medium=2, hard=2)
    subjects = ["математика", "русский язык", "физика", "информатика", "история", "биология"]
    for number in range(1, 14):
        Group.objects.create(
            procedure=procedure,
            number=number,
            name=f"Группа {number}",
            subject=Subject.objects.get(name=subjects[number % len(subjects)]),
        )
    report = assemble_variants(procedure)
    variants = [
        frozenset(v.variant_items.values_list("item_id", flat=True))
        for v in Variant.objects.filter(group__procedure=procedure)
    ]
    assert len(variants) == 13 and len(set(variants)) == 13
    assert all(len(v) == 6 * len(areas) for v in variants)
    assert report.max_share < 100


def test_demo_bank_round_trips_through_xlsx(cnppm, demo):
    report = importers.bank_import(cnppm, BytesIO(importers.bank_export_xlsx(Item.objects.all())))
    assert report.ok, report.errors[:3]
    assert (report.created, report.updated, report.unchanged) == (0, 0, demo.count())


def test_load_demo_bank_command(areas, capsys):
    call_command("load-demo-bank")
    assert "Добавлено заданий:" in capsys.readouterr().out
    call_command("load-demo-bank")
    assert "ничего не добавлено" in capsys.readouterr().out
