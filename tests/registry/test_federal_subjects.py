"""The built-in directory of the subjects of the Russian Federation and their ОКТМО prefixes."""

import re

import pytest

from nms.registry import federal_subjects
from nms.registry.federal_subjects import by_code, by_name, by_oktmo, find


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("95", "Республика Хакасия"),
        ("05", "Приморский край"),
        ("33", "Кировская область"),
        ("65", "Свердловская область"),
        ("45", "г. Москва"),
        ("40", "г. Санкт-Петербург"),
        ("67", "г. Севастополь"),
        ("35", "Республика Крым"),
        ("24", "Ивановская область"),
        ("21", "Донецкая Народная Республика"),
        ("43", "Луганская Народная Республика"),
        ("23", "Запорожская область"),
        ("74", "Херсонская область"),
        ("26", "Республика Ингушетия"),
        ("71", "Тюменская область"),
        ("11", "Архангельская область"),
        ("118", "Ненецкий автономный округ"),
        ("718", "Ханты-Мансийский автономный округ — Югра"),
        ("719", "Ямало-Ненецкий автономный округ"),
        ("77", "Чукотский автономный округ"),
        ("99", "Еврейская автономная область"),
    ],
)
def test_codes_name_their_subjects(code, name):
    assert by_code(code).name == name
    assert find(code).name == name


def test_municipal_oktmo_belongs_to_its_subject():
    assert by_oktmo("95701000").name == "Республика Хакасия"  # Абакан
    assert by_oktmo("05701000").name == "Приморский край"  # Владивосток
    assert by_oktmo("45000000").name == "г. Москва"
    assert by_oktmo("95 701 000 001").code == "95"


def test_autonomous_okrug_wins_over_its_oblast():
    """The longest prefix: 118… is Ненецкий, 11… the rest of Архангельская область."""
    assert by_oktmo("11851000").name == "Ненецкий автономный округ"  # Нарьян-Мар
    assert by_oktmo("11701000").name == "Архангельская область"  # Архангельск
    assert by_oktmo("71871000").code == "718"  # Ханты-Мансийск
    assert by_oktmo("71951000").code == "719"  # Салехард
    assert by_oktmo("71701000").name == "Тюменская область"  # Тюмень


@pytest.mark.parametrize(
    "code", ["02", "06", "09", "13", "31", "39", "48", "55", "00", "117", "7", ""]
)
def test_unknown_codes_are_refused(code):
    assert by_code(code) is None
    assert find(code) is None


def test_unknown_oktmo_belongs_to_nobody():
    assert by_oktmo("02701000") is None
    assert by_oktmo("9") is None
    assert by_oktmo("") is None


def test_names_are_found_by_what_people_type():
    assert by_name("Республика Хакасия").code == "95"
    assert by_name("  республика   хакасия ").code == "95"
    assert by_name("Москва").code == "45"
    assert by_name("г.Москва").code == "45"
    assert find("Санкт-Петербург").code == "40"
    assert find("Чувашская Республика").code == "97"
    assert find("Чувашская Республика - Чувашия").code == "97"
    assert find("Кемеровская область").code == "32"
    assert find("Ханты-Мансийский автономный округ - Югра").code == "718"
    assert find("Республика Саха").code == "98"
    assert find("Республика Северная Осетия – Алания").code == "90"
    assert find("Тестовая область") is None


def test_the_directory_is_complete_and_consistent():
    subjects = federal_subjects.federal_subjects()
    assert len(subjects) == 89
    codes = [s.code for s in subjects]
    names = [s.name for s in subjects]
    assert len(set(codes)) == 89
    assert len(set(names)) == 89
    assert all(re.fullmatch(r"\d{2,3}", code) for code in codes)
    # A 3-digit code is an autonomous okrug inside a subject of its first two digits.
    for code in codes:
        if len(code) == 3:
            assert code[:2] in codes
            assert "автономный округ" in by_code(code).name
    # Every short form names one subject only.
    for subject in subjects:
        assert find(subject.name) == subject
        assert find(subject.code) == subject
