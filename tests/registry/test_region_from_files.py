"""A fresh installation starts a real region from its own files: organizations, then staff."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from nms.accounts.models import Role
from nms.common.identifiers import inn_with_checksum, snils_with_checksum
from nms.registry.importers import (
    ORGANIZATIONS,
    import_organizations,
    import_staff,
    import_template,
)
from nms.registry.models import Employment, Municipality, Organization, Person, Region
from nms.registry.services import region_create_from_directory
from tests.registry.test_import import (
    organization_file,
    organization_values,
    staff_file,
    staff_values,
)

pytestmark = pytest.mark.django_db

HAKASSIA = "Республика Хакасия"
INN_1 = inn_with_checksum("190100001")
INN_2 = inn_with_checksum("190100002")
INN_3 = inn_with_checksum("190100003")
SNILS_1 = snils_with_checksum("310000001")
SNILS_2 = snils_with_checksum("310000002")


def hakassia_rows() -> list[dict]:
    """Two schools of Абакан and one of a district: ОКТМО 95…"""
    return [
        organization_values(
            INN_1, "95701000", **{"Муниципальное образование": "городской округ город Абакан"}
        ),
        organization_values(
            INN_2,
            "95701000",
            **{
                "Муниципальное образование": "городской округ город Абакан",
                "Наименование": "МБОУ «СОШ № 1» г. Абакана",
                "Краткое наименование": "МБОУ «СОШ № 1»",
                "ШНОР": None,
            },
        ),
        organization_values(
            INN_3,
            "95608000",
            **{
                "Муниципальное образование": "Усть-Абаканский муниципальный район",
                "Наименование": "МБОУ «Усть-Абаканская СОШ»",
                "Краткое наименование": None,
            },
        ),
    ]


def staff_rows() -> list[dict]:
    return [
        staff_values(SNILS_1, INN_1),
        staff_values(SNILS_1, INN_3, **{"Совместитель": "да", "Учебная нагрузка (ч/нед)": 6}),
        staff_values(SNILS_2, INN_2, **{"Фамилия": "Ёлкин", "Имя": "Пётр", "Пол": "м"}),
    ]


def write(path, file: BytesIO) -> str:
    path.write_bytes(file.getvalue())
    return str(path)


def assert_hakassia_started():
    region = Region.objects.get()
    assert (region.name, region.code) == (HAKASSIA, "95")
    assert set(Municipality.objects.values_list("oktmo", "name", "region")) == {
        ("95701000", "городской округ город Абакан", region.pk),
        ("95608000", "Усть-Абаканский муниципальный район", region.pk),
    }
    assert Organization.objects.filter(region=region).count() == 3
    school = Organization.objects.get(inn=INN_3)
    assert school.municipality.oktmo == "95608000"
    assert school.short_name == "МБОУ «Усть-Абаканская СОШ»"
    return region


# -- on an empty database -----------------------------------------------------------------------
def test_command_starts_the_region_from_the_files(tmp_path, capsys):
    assert not Region.objects.exists()

    call_command(
        "import-organizations", write(tmp_path / "orgs.xlsx", organization_file(*hakassia_rows()))
    )

    out = capsys.readouterr().out
    assert "Добавлено: 3" in out
    assert "муниципальных образований: 2" in out
    assert f"Создан регион «{HAKASSIA}»" in out
    region = assert_hakassia_started()

    call_command("import-staff", write(tmp_path / "staff.xlsx", staff_file(*staff_rows())))

    assert "Добавлено: 3" in capsys.readouterr().out
    assert set(Person.objects.values_list("snils", "region")) == {
        (SNILS_1, region.pk),
        (SNILS_2, region.pk),
    }
    assert Employment.objects.filter(organization__region=region).count() == 3


def test_importer_starts_the_region_and_a_second_import_changes_nothing():
    report = import_organizations(None, organization_file(*hakassia_rows()))

    assert report.ok, report.errors
    assert (report.created, report.municipalities_created) == (3, 2)
    assert report.as_dict()["summary"].endswith(f"Создан регион «{HAKASSIA}».")
    assert_hakassia_started()

    again = import_organizations(None, organization_file(*hakassia_rows()))
    assert (again.created, again.unchanged, again.municipalities_created) == (0, 3, 0)
    assert "регион" not in again.summary
    assert Region.objects.count() == 1

    staff = import_staff(None, staff_file(*staff_rows()))
    assert (staff.created, staff.errors) == (3, [])


def test_the_template_of_an_empty_database_can_be_filled_and_imported():
    """The template from the «Импорт» page, filled in as is, starts the region too."""
    workbook = load_workbook(BytesIO(import_template(None, ORGANIZATIONS)))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in hakassia_rows():
        sheet.append([row.get(header) for header in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    report = import_organizations(None, buffer)

    assert report.ok, report.errors
    assert_hakassia_started()


def test_existing_region_of_the_subject_is_used():
    region, created = region_create_from_directory(None, "95")
    assert created
    Region.objects.create(name="Другая область")  # no longer «the only region»

    report = import_organizations(None, organization_file(*hakassia_rows()))

    assert report.ok, report.errors
    assert "регион" not in report.summary
    assert Municipality.objects.filter(region=region).count() == 2
    assert Region.objects.count() == 2


# -- files that cannot start a region -----------------------------------------------------------
def test_a_file_of_two_subjects_saves_nothing_and_names_the_rows(tmp_path, capsys):
    rows = [
        *hakassia_rows(),
        organization_values(
            inn_with_checksum("190100004"),
            "05701000",
            **{"Муниципальное образование": "Владивостокский городской округ"},
        ),
        organization_values(
            inn_with_checksum("190100005"),
            "02701000",
            **{"Муниципальное образование": "Нет такого субъекта"},
        ),
    ]

    report = import_organizations(None, organization_file(*rows))

    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (5, "ОКТМО", "05701000"),
        (6, "ОКТМО", "02701000"),
    ]
    assert "«Приморский край»" in report.errors[0].message
    assert f"строке 2 — к субъекту «{HAKASSIA}»" in report.errors[0].message
    assert "ни к одному субъекту" in report.errors[1].message
    assert not Region.objects.exists()
    assert not Municipality.objects.exists()
    assert not Organization.objects.exists()

    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command(
            "import-organizations", write(tmp_path / "orgs.xlsx", organization_file(*rows))
        )
    err = capsys.readouterr().err
    assert "Строка 5, столбец «ОКТМО», значение «05701000»" in err
    assert "Строка 6, столбец «ОКТМО», значение «02701000»" in err
    assert not Region.objects.exists()


def test_an_error_elsewhere_in_the_file_saves_no_region():
    rows = hakassia_rows()
    rows[1]["Тип"] = "кружок"

    report = import_organizations(None, organization_file(*rows))

    assert {(e.row, e.column) for e in report.errors} == {(3, "Тип")}
    assert not Region.objects.exists()
    assert not Municipality.objects.exists()


def test_half_and_half_file_takes_the_subject_of_its_first_row():
    rows = [
        hakassia_rows()[0],
        organization_values(
            INN_2, "05701000", **{"Муниципальное образование": "Владивостокский городской округ"}
        ),
    ]
    report = import_organizations(None, organization_file(*rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "ОКТМО")]
    assert not Region.objects.exists()


# -- who may start a region ----------------------------------------------------------------------
@pytest.fixture
def two_regions(region):
    """The test region and another: neither is «the only region» any more."""
    Region.objects.create(name="Другая область")
    return region


def test_administrator_starts_a_region_from_the_file(make_user, two_regions):
    admin = make_user(Role.ADMIN)

    report = import_organizations(admin, organization_file(*hakassia_rows()))

    assert report.ok, report.errors
    region = Region.objects.get(name=HAKASSIA)
    assert region.code == "95"
    assert Organization.objects.filter(region=region).count() == 3
    assert Organization.objects.get(inn=INN_1).history.get().history_user == admin


def test_municipal_user_cannot_start_a_region(make_user, two_municipalities):
    Region.objects.create(name="Другая область")
    user = make_user(Role.MUNICIPAL, municipality=two_municipalities["a"]["municipality"])

    report = import_organizations(user, organization_file(*hakassia_rows()))

    assert {(e.row, e.column) for e in report.errors} == {(2, "ОКТМО"), (3, "ОКТМО"), (4, "ОКТМО")}
    assert not Region.objects.filter(name=HAKASSIA).exists()


def test_only_the_system_and_the_administrator_create_regions(make_user, region):
    with pytest.raises(PermissionDenied):
        region_create_from_directory(make_user(Role.CNPPM), "95")
    assert not Region.objects.filter(code="95").exists()
    created, is_new = region_create_from_directory(make_user(Role.ADMIN), "Республика Хакасия")
    assert is_new and created.code == "95"


# -- nms create-region -----------------------------------------------------------------------------
def test_create_region_by_code_is_idempotent(capsys):
    call_command("create-region", "95")
    assert f"Создан регион «{HAKASSIA}» (код 95)" in capsys.readouterr().out
    assert Region.objects.get().name == HAKASSIA

    call_command("create-region", "95")
    assert f"Регион «{HAKASSIA}» уже существует" in capsys.readouterr().out
    assert Region.objects.count() == 1


def test_create_region_by_name_and_by_an_okrug_code(capsys):
    call_command("create-region", "Республика", "Хакасия")  # unquoted words are one name
    call_command("create-region", "г. Москва")
    call_command("create-region", "118")
    assert set(Region.objects.values_list("code", "name")) == {
        ("95", HAKASSIA),
        ("45", "г. Москва"),
        ("118", "Ненецкий автономный округ"),
    }
    call_command("create-region", "республика хакасия")
    assert "уже существует" in capsys.readouterr().out.splitlines()[-1]
    assert Region.objects.count() == 3


def test_create_region_gives_a_code_to_a_region_of_the_same_name(capsys):
    Region.objects.create(name=HAKASSIA)
    call_command("create-region", "95")
    assert "уже существует" in capsys.readouterr().out
    assert Region.objects.get().code == "95"


@pytest.mark.parametrize("text", ["02", "999", "Тестовая область"])
def test_create_region_refuses_unknown_subjects(text):
    with pytest.raises(CommandError, match="не найден в справочнике"):
        call_command("create-region", text)
    assert not Region.objects.exists()
    with pytest.raises(ValidationError):
        region_create_from_directory(None, text)
