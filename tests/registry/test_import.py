"""Import of staff lists and organizations from XLSX: all-or-nothing, scoped, idempotent."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from nms.accounts.models import Role
from nms.common.identifiers import inn_with_checksum, snils_with_checksum
from nms.registry import importers
from nms.registry.importers import (
    ORGANIZATION_COLUMNS,
    ORGANIZATION_NOT_FOUND,
    STAFF_COLUMNS,
    import_organizations,
    import_staff,
)
from nms.registry.models import Employment, Municipality, Organization, Person
from tests.factories import OrganizationFactory

STAFF_HEADERS = [c.header for c in STAFF_COLUMNS]
ORGANIZATION_HEADERS = [c.header for c in ORGANIZATION_COLUMNS]
SNILS_A = snils_with_checksum("300000001")
SNILS_B = snils_with_checksum("300000002")
SNILS_C = snils_with_checksum("300000003")
UNKNOWN_INN = inn_with_checksum("770000000")


def xlsx(rows) -> BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def staff_values(snils, inn, **changes) -> dict:
    values = {
        "СНИЛС": snils,
        "Фамилия": "Сидорова",
        "Имя": "Анна",
        "Отчество": "Павловна",
        "Дата рождения": "12.04.1990",
        "Пол": "ж",
        "ИНН организации": inn,
        "Должность": "учитель",
        "Руководящая должность": None,
        "Предметы": "математика; Информатика",
        "Квалификационная категория": "первая",
        "Дата присвоения категории": "15.03.2021",
        "Педагогический стаж (лет)": "8,5",
        "Дата приема на работу": "01.09.2016",
        "Уровень образования": "высшее",
        "Педагогическое образование": "да",
        "Совместитель": "нет",
        "Учебная нагрузка (ч/нед)": 18,
        "Email": "anna@example.org",
    }
    values.update(changes)
    return values


def staff_file(*rows: dict, headers=STAFF_HEADERS) -> BytesIO:
    return xlsx([headers, *([row.get(h) for h in headers] for row in rows)])


def staff_rows(world) -> list[dict]:
    """A valid list: one person in two schools, another in one."""
    inn_a, inn_b = world["a"]["school"].inn, world["b"]["school"].inn
    return [
        staff_values(SNILS_A, inn_a),
        staff_values(SNILS_A, inn_b, **{"Совместитель": "да", "Учебная нагрузка (ч/нед)": "6,5"}),
        staff_values(
            SNILS_B,
            inn_a,
            **{
                "Фамилия": "Ёлкин",
                "Имя": "Пётр",
                "Пол": "мужской",
                "Должность": "Директор",
                "Руководящая должность": "руководитель",
                "Предметы": None,
                "Квалификационная категория": None,
                "Дата присвоения категории": None,
            },
        ),
    ]


def errors_at(report) -> set[tuple]:
    return {(e.row, e.column) for e in report.errors}


def history_count() -> int:
    return Person.history.count() + Employment.history.count()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


# -- staff: rejected files ---------------------------------------------------------------------
def test_bad_rows_save_nothing_and_each_error_names_row_and_column(admin, two_municipalities):
    world = two_municipalities
    inn_a, inn_b = world["a"]["school"].inn, world["b"]["school"].inn
    bad_snils = SNILS_C[:-2] + f"{(int(SNILS_C[-2:]) + 1) % 100:02d}"
    rows = [
        staff_values(SNILS_A, inn_a),  # 2: fine
        staff_values(bad_snils, inn_a),  # 3: check digits
        staff_values(SNILS_A, inn_a),  # 4: the same СНИЛС and ИНН again
        staff_values(SNILS_B, UNKNOWN_INN),  # 5: no such organization
        staff_values(SNILS_B, inn_b, **{"Дата присвоения категории": "31.02.2020"}),  # 6
        staff_values(SNILS_C, inn_b, **{"Фамилия": None}),  # 7: empty required cell
        staff_values(SNILS_C, inn_a, **{"Квалификационная категория": "вторая"}),  # 8
        staff_values(
            snils_with_checksum("300000004"),
            inn_a,
            **{
                "Должность": "завхоз",
                "Предметы": "математика; астрология",
                "Email": "not-an-email",
                "Учебная нагрузка (ч/нед)": "-2",
            },
        ),  # 9: dictionaries, e-mail, load
        staff_values(SNILS_A, inn_b, **{"Фамилия": "Петрова"}),  # 10: another name for СНИЛС A
    ]
    people, employments, history = (
        Person.objects.count(),
        Employment.objects.count(),
        history_count(),
    )

    report = import_staff(admin, staff_file(*rows))

    assert not report.ok
    assert (Person.objects.count(), Employment.objects.count()) == (people, employments)
    assert history_count() == history
    assert errors_at(report) == {
        (3, "СНИЛС"),
        (4, "СНИЛС"),
        (5, "ИНН организации"),
        (6, "Дата присвоения категории"),
        (7, "Фамилия"),
        (8, "Квалификационная категория"),
        (9, "Должность"),
        (9, "Предметы"),
        (9, "Email"),
        (9, "Учебная нагрузка (ч/нед)"),
        (10, "Фамилия"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[3, "СНИЛС"] == "неверное контрольное число СНИЛС"
    assert "строке 2" in messages[4, "СНИЛС"]
    assert messages[5, "ИНН организации"] == ORGANIZATION_NOT_FOUND
    assert messages[6, "Дата присвоения категории"] == "несуществующая дата"
    assert messages[7, "Фамилия"] == "обязательное поле не заполнено"
    assert "категория" in messages[8, "Квалификационная категория"]
    assert "астрология" in messages[9, "Предметы"]
    assert "строке 2" in messages[10, "Фамилия"]
    by_cell = {(e.row, e.column): e.value for e in report.errors}
    assert by_cell[6, "Дата присвоения категории"] == "31.02.2020"
    assert report.summary.startswith("Файл не загружен")
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)


def test_fixed_file_imports_and_a_second_import_changes_nothing(admin, two_municipalities):
    world = two_municipalities
    people, employments = Person.objects.count(), Employment.objects.count()

    report = import_staff(admin, staff_file(*staff_rows(world)))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert Person.objects.count() == people + 2
    assert Employment.objects.count() == employments + 3
    history = history_count()

    again = import_staff(admin, staff_file(*staff_rows(world)))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.summary.startswith("Изменений нет")
    assert history_count() == history


def test_imported_records_are_complete(admin, two_municipalities):
    world = two_municipalities
    import_staff(admin, staff_file(*staff_rows(world)))

    anna = Person.objects.get(snils=SNILS_A)
    assert anna.region == world["a"]["school"].region
    assert (anna.last_name, anna.sex, anna.birth_date) == ("Сидорова", "F", date(1990, 4, 12))
    assert anna.search_text == "сидорова анна павловна " + SNILS_A + " " + SNILS_A.replace(
        "-", ""
    ).replace(" ", "")
    main = anna.employments.get(organization=world["a"]["school"])
    assert main.category == "first" and main.category_date == date(2021, 3, 15)
    assert main.experience_years == Decimal("8.5") and main.experience_as_of == date.today()
    assert main.experience_start == main.compute_experience_start()
    assert sorted(main.subjects.values_list("name", flat=True)) == ["информатика", "математика"]
    second = anna.employments.get(organization=world["b"]["school"])
    assert second.is_part_time and second.teaching_load == Decimal("6.5")

    director = Person.objects.get(snils=SNILS_B)
    assert director.last_name == "Ёлкин" and "елкин" in director.search_text
    job = director.employments.get()
    assert (job.position.name, job.manager_kind, job.category) == ("директор", "head", "none")
    assert not job.subjects.exists()
    record = anna.history.get()
    assert record.history_user == admin and record.history_type == "+"


def test_reimport_on_a_later_day_is_not_a_change(admin, two_municipalities, monkeypatch):
    world = two_municipalities
    import_staff(admin, staff_file(*staff_rows(world)))
    history = history_count()

    class Later(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=400)

    monkeypatch.setattr(importers, "date", Later)
    report = import_staff(admin, staff_file(*staff_rows(world)))

    assert (report.created, report.updated) == (0, 0)
    assert history_count() == history


def test_experience_carried_forward_to_today_is_not_a_change(admin, two_municipalities):
    """A list exported a year later shows experience one year longer: same start, no change."""
    world = two_municipalities
    teacher = world["a"]["teacher"]
    employment = teacher.employments.get()
    current = employment.experience_on(date.today())
    row = staff_values(
        teacher.snils,
        world["a"]["school"].inn,
        **{
            "Фамилия": teacher.last_name,
            "Имя": teacher.first_name,
            "Отчество": teacher.middle_name,
            "Дата рождения": teacher.birth_date.strftime("%d.%m.%Y"),
            "Пол": "м",
            "Предметы": None,
            "Квалификационная категория": None,
            "Дата присвоения категории": None,
            "Дата приема на работу": employment.hire_date.strftime("%d.%m.%Y"),
            "Учебная нагрузка (ч/нед)": None,
            "Email": None,
            "Педагогический стаж (лет)": str(current).replace(".", ","),
        },
    )
    report = import_staff(admin, staff_file(row))
    assert (report.updated, report.unchanged) == (0, 1), report.errors
    employment.refresh_from_db()
    assert employment.experience_as_of == date(2024, 9, 1)


def test_changed_rows_are_updated_with_history(admin, two_municipalities):
    world = two_municipalities
    import_staff(admin, staff_file(*staff_rows(world)))
    rows = staff_rows(world)
    rows[0]["Квалификационная категория"] = "высшая"
    rows[0]["Предметы"] = "физика"
    rows[2]["Email"] = "director@example.org"
    rows[2]["Педагогический стаж (лет)"] = 20

    report = import_staff(admin, staff_file(*rows))

    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    main = Employment.objects.get(person__snils=SNILS_A, organization=world["a"]["school"])
    assert main.category == "highest"
    assert list(main.subjects.values_list("name", flat=True)) == ["физика"]
    assert main.history.latest().history_type == "~"
    assert main.history.latest().history_user == admin
    director = Employment.objects.get(person__snils=SNILS_B)
    assert director.experience_years == 20
    assert director.experience_start == date.today() - timedelta(days=7305)
    assert Person.objects.get(snils=SNILS_B).email == "director@example.org"


def test_absent_optional_column_keeps_stored_values(admin, two_municipalities):
    world = two_municipalities
    import_staff(admin, staff_file(*staff_rows(world)))
    headers = [h for h in STAFF_HEADERS if h not in ("Email", "Предметы")]

    report = import_staff(admin, staff_file(*staff_rows(world), headers=headers))

    assert (report.created, report.updated) == (0, 0)
    anna = Person.objects.get(snils=SNILS_A)
    assert anna.email == "anna@example.org"
    assert anna.employments.get(organization=world["a"]["school"]).subjects.count() == 2


def test_municipal_user_cannot_import_into_another_municipality(make_user, two_municipalities):
    world = two_municipalities
    user = make_user(Role.MUNICIPAL, municipality=world["a"]["municipality"])
    rows = [
        staff_values(SNILS_A, world["a"]["school"].inn),
        staff_values(SNILS_B, world["b"]["school"].inn),
        staff_values(SNILS_C, UNKNOWN_INN),
    ]

    report = import_staff(user, staff_file(*rows))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "ИНН организации", ORGANIZATION_NOT_FOUND),
        (4, "ИНН организации", ORGANIZATION_NOT_FOUND),
    ]
    assert not Person.objects.filter(snils=SNILS_A).exists()


def test_person_of_another_territory_is_refused_whatever_the_name_and_birth_date(
    make_user, two_municipalities
):
    """A СНИЛС the user cannot see is refused with one message, true data or not: the import
    must neither rename somebody of another territory nor tell whether the typed data match."""
    world = two_municipalities
    user = make_user(Role.MUNICIPAL, municipality=world["a"]["municipality"])
    stranger = world["b"]["teacher"]
    row = staff_values(
        stranger.snils,
        world["a"]["school"].inn,
        **{"Отчество": stranger.middle_name, "Пол": "м", "Email": None},
    )

    wrong = import_staff(user, staff_file(row))

    assert errors_at(wrong) == {(2, "СНИЛС")}
    stranger.refresh_from_db()
    assert stranger.last_name != "Сидорова"

    row.update(
        {
            "Фамилия": stranger.last_name.upper(),
            "Имя": stranger.first_name,
            "Дата рождения": stranger.birth_date.strftime("%d.%m.%Y"),
        }
    )
    true = import_staff(user, staff_file(row))
    assert true.created == 0
    assert [e.message for e in true.errors] == [e.message for e in wrong.errors]
    assert "зарегистрирован в другой организации" in true.errors[0].message
    assert not stranger.employments.filter(organization=world["a"]["school"]).exists()

    # the system (the command line without a user) still matches and may give the job
    assert import_staff(None, staff_file(row)).created == 1


def test_school_user_imports_own_staff(make_user, two_municipalities):
    world = two_municipalities
    user = make_user(Role.SCHOOL, organization=world["a"]["school"])
    report = import_staff(user, staff_file(staff_values(SNILS_A, world["a"]["school"].inn)))
    assert report.created == 1


def test_roles_without_write_rights_cannot_import(make_user, two_municipalities):
    from django.core.exceptions import PermissionDenied

    teacher = make_user(Role.TEACHER, person=two_municipalities["a"]["teacher"])
    with pytest.raises(PermissionDenied):
        import_staff(teacher, staff_file())
    school = make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"])
    with pytest.raises(PermissionDenied):
        import_organizations(school, xlsx([ORGANIZATION_HEADERS]))


def test_missing_headers_and_empty_files(admin, region):
    report = import_staff(admin, xlsx([["СНИЛС", "Фамилия", "Имя", "Email"], ["x", "y", "z", ""]]))
    missing = {e.column for e in report.errors}
    assert missing == {
        "Дата рождения",
        "Пол",
        "ИНН организации",
        "Должность",
        "Педагогический стаж (лет)",
    }
    assert all(e.row is None and "нет обязательного столбца" in e.message for e in report.errors)

    assert import_staff(admin, xlsx([])).errors[0].message == "Файл пуст."
    only_header = import_staff(admin, staff_file())
    assert only_header.errors[0].message == "В файле нет строк с данными."
    garbage = import_staff(admin, BytesIO(b"PK not really"))
    assert "не удалось прочитать" in garbage.errors[0].message.lower()


def test_headers_ignore_case_and_spaces_and_cells_may_be_typed_values(admin, two_municipalities):
    world = two_municipalities
    headers = ["  " + h.upper().replace(" ", "   ") + " " for h in STAFF_HEADERS]
    row = staff_values(
        SNILS_A.replace("-", "").replace(" ", ""),
        int(world["a"]["school"].inn),
        **{
            "Дата рождения": datetime(1990, 4, 12),
            "Дата приема на работу": datetime(2016, 9, 1),
            "Педагогическое образование": 0,
            "Совместитель": True,
            "Педагогический стаж (лет)": 8.5,
            "Учебная нагрузка (ч/нед)": "18,5",
            "Пол": "Ж",
        },
    )
    file = xlsx([headers, [row[h] for h in STAFF_HEADERS]])

    report = import_staff(admin, file)

    assert report.ok, report.errors
    person = Person.objects.get(snils=SNILS_A)
    assert person.birth_date == date(1990, 4, 12) and not person.has_pedagogical_education
    employment = person.employments.get()
    assert employment.is_part_time and employment.teaching_load == Decimal("18.5")
    assert employment.hire_date == date(2016, 9, 1)


def test_snils_typed_as_a_number_keeps_leading_zeros(admin, two_municipalities):
    snils = snils_with_checksum("001234567")
    digits = int(snils.replace("-", "").replace(" ", ""))
    report = import_staff(
        admin, staff_file(staff_values(digits, two_municipalities["a"]["school"].inn))
    )
    assert report.ok, report.errors
    assert Person.objects.filter(snils=snils).exists()


def test_large_file_uses_chunks(admin, two_municipalities):
    """More rows than one IN (...) chunk: prefetching and re-import still work."""
    inn = two_municipalities["a"]["school"].inn
    rows = [staff_values(snils_with_checksum(f"{400000000 + n:09d}"), inn) for n in range(1100)]
    assert import_staff(admin, staff_file(*rows)).created == 1100
    again = import_staff(admin, staff_file(*rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1100)


# -- organizations -----------------------------------------------------------------------------
def organization_values(inn, oktmo, **changes) -> dict:
    values = {
        "ИНН": inn,
        "Наименование": "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 7»",
        "Краткое наименование": "МБОУ «Лицей № 7»",
        "Тип": "Общеобразовательная",
        "Муниципальное образование": None,
        "ОКТМО": oktmo,
        "ШНОР": "да",
        "Неблагоприятные социальные условия": None,
    }
    values.update(changes)
    return values


def organization_file(*rows: dict) -> BytesIO:
    return xlsx(
        [ORGANIZATION_HEADERS, *([row.get(h) for h in ORGANIZATION_HEADERS] for row in rows)]
    )


def test_organizations_with_bad_inn_oktmo_or_kind_save_nothing(admin, two_municipalities):
    oktmo = two_municipalities["a"]["municipality"].oktmo
    good_inn = inn_with_checksum("190000101")
    bad_inn = good_inn[:-1] + str((int(good_inn[-1]) + 1) % 10)
    rows = [
        organization_values(good_inn, oktmo),
        organization_values(bad_inn, oktmo),
        organization_values(inn_with_checksum("190000102"), "12345"),
        organization_values(inn_with_checksum("190000103"), oktmo, **{"Тип": "кружок"}),
        organization_values(good_inn, oktmo),
    ]
    count = Organization.objects.count()

    report = import_organizations(admin, organization_file(*rows))

    assert errors_at(report) == {(3, "ИНН"), (4, "ОКТМО"), (5, "Тип"), (6, "ИНН")}
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[3, "ИНН"] == "неверные контрольные цифры ИНН"
    assert "8 или 11 цифр" in messages[4, "ОКТМО"]
    assert "строке 2" in messages[6, "ИНН"]
    assert Organization.objects.count() == count


def test_organizations_upsert_by_inn(admin, two_municipalities):
    world = two_municipalities
    existing = world["a"]["school"]
    new_inn = inn_with_checksum("190000201")
    rows = [
        organization_values(new_inn, world["a"]["municipality"].oktmo, **{"ШНОР": None}),
        organization_values(
            existing.inn,
            world["b"]["municipality"].oktmo,
            **{
                "Наименование": existing.full_name,
                "Краткое наименование": None,
                "Тип": "ДПО/институт развития образования",
                "Неблагоприятные социальные условия": "+",
            },
        ),
    ]

    report = import_organizations(admin, organization_file(*rows))

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0), report.errors
    created = Organization.objects.get(inn=new_inn)
    assert created.municipality == world["a"]["municipality"] and not created.is_low_results
    assert created.search_text == created.compute_search_text()
    existing.refresh_from_db()
    assert existing.municipality == world["b"]["municipality"]
    assert existing.kind == "institute" and existing.is_unfavourable
    assert existing.short_name == existing.full_name
    assert existing.history.latest().history_user == admin

    again = import_organizations(admin, organization_file(*rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_regional_user_creates_a_municipality_by_oktmo(make_user, region):
    user = make_user(Role.CNPPM)
    rows = [
        organization_values(
            inn_with_checksum("190000301"),
            "95999000",
            **{"Муниципальное образование": "Новый округ"},
        ),
        organization_values(
            inn_with_checksum("190000302"),
            "95999000",
            **{"Муниципальное образование": "новый  округ"},
        ),
    ]
    report = import_organizations(user, organization_file(*rows))
    assert report.created == 2, report.errors
    municipality = Municipality.objects.get(oktmo="95999000")
    assert municipality.region == region and municipality.name == "Новый округ"
    assert "муниципальных образований: 1" in report.summary


def test_unknown_oktmo_needs_a_name(make_user, region):
    report = import_organizations(
        make_user(Role.CNPPM),
        organization_file(organization_values(inn_with_checksum("190000303"), "95999001")),
    )
    assert errors_at(report) == {(2, "Муниципальное образование")}


def test_municipal_user_imports_only_into_own_municipality(make_user, two_municipalities):
    world = two_municipalities
    user = make_user(Role.MUNICIPAL, municipality=world["a"]["municipality"])
    other = OrganizationFactory(municipality=world["b"]["municipality"])
    rows = [
        organization_values(inn_with_checksum("190000401"), world["a"]["municipality"].oktmo),
        organization_values(inn_with_checksum("190000402"), world["b"]["municipality"].oktmo),
        organization_values(
            inn_with_checksum("190000403"), "95999002", **{"Муниципальное образование": "Чужой"}
        ),
        organization_values(other.inn, world["a"]["municipality"].oktmo),
    ]

    report = import_organizations(user, organization_file(*rows))

    assert errors_at(report) == {(3, "ОКТМО"), (4, "ОКТМО"), (5, "ИНН")}
    assert report.errors[0].message == report.errors[1].message
    assert not Municipality.objects.filter(oktmo="95999002").exists()


# -- the command -------------------------------------------------------------------------------
def test_command_imports_a_file(two_municipalities, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(staff_file(*staff_rows(two_municipalities)).getvalue())

    call_command("import-staff", str(path))

    printed = capsys.readouterr()
    assert "Добавлено: 3" in printed.out
    assert "обработано строк: 3 из 3" in printed.err  # the command prints its progress
    assert Person.objects.filter(snils__in=[SNILS_A, SNILS_B]).count() == 2


def test_command_rejects_a_bad_file_and_prints_every_error(two_municipalities, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    rows = [
        staff_values(SNILS_A, UNKNOWN_INN),
        staff_values(
            SNILS_B, two_municipalities["a"]["school"].inn, **{"Дата рождения": "31.02.2020"}
        ),
    ]
    path.write_bytes(staff_file(*rows).getvalue())

    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command("import-staff", str(path))

    err = capsys.readouterr().err
    assert "Строка 2, столбец «ИНН организации»" in err
    assert "Строка 3, столбец «Дата рождения», значение «31.02.2020»: несуществующая дата" in err
    assert not Person.objects.filter(snils=SNILS_B).exists()


def test_command_acts_within_the_users_scope(make_user, two_municipalities, tmp_path):
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    path = tmp_path / "staff.xlsx"
    path.write_bytes(
        staff_file(staff_values(SNILS_A, two_municipalities["b"]["school"].inn)).getvalue()
    )
    with pytest.raises(CommandError):
        call_command("import-staff", str(path), user=user.username)
    with pytest.raises(CommandError, match="Пользователь не найден"):
        call_command("import-staff", str(path), user="nobody")


def test_organizations_command(region, tmp_path, capsys):
    from tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory(region=region)
    path = tmp_path / "organizations.xlsx"
    path.write_bytes(
        organization_file(
            organization_values(inn_with_checksum("190000501"), municipality.oktmo)
        ).getvalue()
    )
    call_command("import-organizations", str(path))
    assert "Добавлено: 1" in capsys.readouterr().out


# -- the page ----------------------------------------------------------------------------------
URL = "/registry/import/"


def upload(client, kind, file):
    file.name = "list.xlsx"
    return client.post(URL, {"kind": kind, "file": file}, follow=True)  # via the job's page


def test_page_imports_and_shows_the_report(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    page = client.get(URL)
    assert page.status_code == 200
    assert "/registry/import/template/staff/" in page.text
    assert "/registry/import/template/organizations/" in page.text

    response = upload(client, "staff", staff_file(*staff_rows(two_municipalities)))

    assert response.status_code == 200
    assert "Добавлено: 3" in response.text
    assert Person.objects.filter(snils=SNILS_A).exists()


def test_page_lists_every_error(client, make_user, two_municipalities):
    client.force_login(make_user(Role.CNPPM))
    rows = [
        staff_values(
            SNILS_A, two_municipalities["a"]["school"].inn, **{"Дата рождения": "31.02.2020"}
        )
    ]

    response = upload(client, "staff", staff_file(*rows))

    assert "несуществующая дата" in response.text
    assert "<td>2</td><td>Дата рождения</td><td>31.02.2020</td>" in response.text
    assert not Person.objects.filter(snils=SNILS_A).exists()


def test_school_user_sees_only_staff_import(client, make_user, two_municipalities):
    client.force_login(make_user(Role.SCHOOL, organization=two_municipalities["a"]["school"]))
    page = client.get(URL)
    assert "/template/organizations/" not in page.text
    assert client.get(URL + "template/organizations/").status_code == 404
    response = upload(client, "organizations", organization_file())
    assert "organizations" not in {k for k, _ in response.context["form"].fields["kind"].choices}
    assert response.context["report"] is None


def test_page_is_hidden_from_roles_without_write_rights(client, make_user, two_municipalities):
    client.force_login(make_user(Role.MINISTRY))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "template/staff/").status_code == 404


def test_template_download(client, make_user, two_municipalities):
    client.force_login(
        make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])
    )
    response = client.get(URL + "template/staff/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == STAFF_HEADERS
    reference = workbook["Справочники"]
    inns = [
        c.value for c in next(col for col in reference.columns if col[0].value == "ИНН организации")
    ]
    assert two_municipalities["a"]["school"].inn in inns
    assert two_municipalities["b"]["school"].inn not in inns
    assert client.get(URL + "template/unknown/").status_code == 404
