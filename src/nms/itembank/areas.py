"""The built-in competency areas and their sub-competencies (loaded by a data migration)."""

# (code, name, is_subject, for_managers, [sub-competencies])
AREAS = [
    ("subject", "предметная", True, False, [
        "знание содержания преподаваемого предмета",
        "решение предметных задач повышенной сложности",
        "понимание методов науки, лежащей в основе предмета",
    ]),
    ("methodical", "методическая", False, False, [
        "проектирование урока в соответствии с ФГОС и ФОП",
        "формирование функциональной грамотности обучающихся",
        "оценивание образовательных результатов",
    ]),
    ("psychological", "психолого-педагогическая", False, False, [
        "учёт возрастных и индивидуальных особенностей обучающихся",
        "работа с детьми с ОВЗ и особыми образовательными потребностями",
        "создание благоприятного психологического климата",
    ]),
    ("communicative", "коммуникативная", False, False, [
        "взаимодействие с родителями (законными представителями)",
        "разрешение конфликтных ситуаций",
        "профессиональное общение с коллегами",
    ]),
    ("ict", "ИКТ", False, False, [
        "использование цифровых образовательных ресурсов",
        "информационная безопасность",
        "дистанционные образовательные технологии",
    ]),
    ("upbringing", "воспитательная", False, False, [
        "реализация рабочей программы воспитания",
        "организация деятельности классного руководителя",
        "профилактика деструктивного поведения",
    ]),
    ("management", "управленческая", False, True, [
        "стратегическое планирование развития ОО",
        "управление качеством образования",
        "управление кадровыми ресурсами",
    ]),
]  # fmt: skip


def install(area_model, subcompetency_model) -> None:
    """Load the areas (idempotent); takes the models so a migration can pass its own."""
    for order, (code, name, is_subject, for_managers, subs) in enumerate(AREAS, start=1):
        area, _ = area_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_subject": is_subject, "for_managers": for_managers,
                      "order": order},
        )  # fmt: skip
        for sub in subs:
            subcompetency_model.objects.get_or_create(area=area, name=sub)
