"""ИОМ: creation from diagnostics, the full workflow by role, versions, stale saves, templates."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nms.routes import services
from nms.routes.models import ItemStatus, Route, RouteType, Status
from nms.routes.workflow import TRANSITIONS
from tests.factories import EmploymentFactory
from tests.routes.conftest import TODAY, item_data

# The route's walk through every state: (transition, actor).
WALK = [
    ("compose", "cnppm"),
    ("agree_school", "school"),
    ("agree_methodist", "methodist"),
    ("start", "methodist"),
    ("audit", "cnppm"),
    ("complete", "cnppm"),
]
ALL_ACTORS = [
    "teacher", "cnppm", "school", "methodist", "municipal", "ministry", "other_teacher",
    "other_school",
]  # fmt: skip


@pytest.fixture
def route(actors, entry_result, two_municipalities):
    return services.route_create(
        actors["teacher"],
        two_municipalities["a"]["teacher"],
        TODAY,
        TODAY + timedelta(days=180),
    )


def test_created_route_holds_sections_1_and_2(route, entry_result):
    assert route.status == Status.DRAFT
    assert route.route_type == RouteType.DEFICITS
    assert route.entry_result == entry_result
    assert route.general_info["organization_short"]
    assert route.general_info["position"] == "учитель"
    deficits = {d["area"]: d for d in route.deficits}
    assert deficits["методическая"]["is_deficit"] and deficits["методическая"]["share"] == "40.00"
    assert not deficits["ИКТ"]["is_deficit"]
    assert route.versions.count() == 1


def test_full_walk_with_right_roles_and_every_wrong_role_refused(
    route, actors, exit_result_factory
):
    services.item_add(actors["cnppm"], route, item_data(), route.version)
    for name, actor in WALK:
        route.refresh_from_db()
        if name == "complete":
            exit_result_factory()
            services.texts_update(actors["cnppm"], route, {"evaluation": "Цели достигнуты"}, None)
            route.refresh_from_db()
            services.texts_update(
                actors["teacher"], route, {"self_evaluation": "Освоила приёмы"}, None
            )
            route.refresh_from_db()
        for wrong in ALL_ACTORS:
            if wrong == actor:
                continue
            with pytest.raises((PermissionDenied, ValidationError)):
                services.transition(actors[wrong], route, name, "попытка", route.version)
            route.refresh_from_db()
            assert route.status == TRANSITIONS[name].sources[0]
        services.transition(actors[actor], route, name, f"шаг {name}", route.version)
        route.refresh_from_db()
        assert route.status == TRANSITIONS[name].target
    assert route.status == Status.COMPLETED
    assert route.exit_result is not None
    assert [e.to_status for e in route.events.all()] == [
        "draft", "composed", "agreed_school", "agreed_methodist", "in_progress", "audit",
        "completed",
    ]  # fmt: skip
    assert route.versions.count() == route.version


def test_compose_needs_a_nonempty_map_not_a_comment(route, actors):
    with pytest.raises(ValidationError, match="Карта развития пуста"):
        services.transition(actors["cnppm"], route, "compose", "готово", None)
    services.item_add(actors["cnppm"], route, item_data(), None)
    services.transition(actors["cnppm"], route, "compose", "  ", None)
    route.refresh_from_db()
    assert route.status == Status.COMPOSED and route.events.last().comment == ""


@pytest.mark.parametrize(
    "name, needs",
    [
        ("compose", False), ("agree_school", False), ("agree_methodist", False),
        ("start", False), ("audit", False), ("complete", False), ("return", True),
        ("close", True),
    ],
)  # fmt: skip
def test_only_returning_and_closing_need_a_comment(name, needs):
    assert TRANSITIONS[name].needs_comment is needs


def test_agree_without_comment_return_and_close_only_with_one(route, actors):
    services.item_add(actors["cnppm"], route, item_data(), None)
    services.transition(actors["cnppm"], route, "compose", "", None)
    services.transition(actors["school"], route, "agree_school", "", None)
    with pytest.raises(ValidationError, match="требует комментария"):
        services.transition(actors["methodist"], route, "return", " ", None)
    with pytest.raises(ValidationError, match="требует комментария"):
        services.transition(actors["methodist"], route, "close", "", None)
    route.refresh_from_db()
    assert route.status == Status.AGREED_SCHOOL
    services.transition(actors["methodist"], route, "return", "уточните сроки", None)
    route.refresh_from_db()
    assert route.status == Status.DRAFT
    assert route.events.last().comment == "уточните сроки"


def test_completion_requires_exit_diagnostics_and_evaluations(route, actors):
    services.item_add(actors["cnppm"], route, item_data(), None)
    for name, actor in WALK[:-1]:
        services.transition(actors[actor], route, name, "ок", None)
    route.refresh_from_db()
    with pytest.raises(ValidationError, match="выходной диагностики.*оценки.*самооценки"):
        services.transition(actors["cnppm"], route, "complete", "завершаем", None)


def test_close_early_with_reason(route, actors):
    services.transition(actors["methodist"], route, "close", "увольнение педагога", None)
    route.refresh_from_db()
    assert route.status == Status.CLOSED and route.closed_reason == "увольнение педагога"
    with pytest.raises(ValidationError):
        services.transition(actors["cnppm"], route, "compose", "ещё раз", None)


def test_second_save_on_stale_copy_is_refused_and_first_is_kept(route, actors):
    version = route.version
    services.item_add(actors["cnppm"], route, item_data(title="Первый"), version)
    with pytest.raises(services.StaleRoute, match="уже изменён другим пользователем"):
        services.item_add(actors["teacher"], route, item_data(title="Второй"), version)
    route.refresh_from_db()
    assert [i.title for i in route.items.all()] == ["Первый"]
    assert route.version == version + 1


def test_each_correction_is_a_version(route, actors):
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    services.item_update(actors["cnppm"], item, {"title": "Другое название"}, None)
    route.refresh_from_db()
    numbers = list(route.versions.values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    assert route.versions.get(number=2).snapshot["items"][0]["title"].startswith("ДПП")
    assert route.versions.get(number=3).snapshot["items"][0]["title"] == "Другое название"


def test_map_editing_by_state(route, actors):
    services.item_add(actors["cnppm"], route, item_data(), None)
    services.transition(actors["cnppm"], route, "compose", "ок", None)
    route.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.item_add(actors["teacher"], route, item_data(), None)
    with pytest.raises(PermissionDenied):
        services.item_add(actors["school"], route, item_data(), None)
    services.texts_update(actors["school"], route, {"school_proposals": "Участие в ШМО"}, None)


def test_item_due_after_route_end_is_refused(route, actors):
    with pytest.raises(ValidationError):
        services.item_add(
            actors["cnppm"], route, item_data(due_on=route.ends_on + timedelta(days=1)), None
        )
    assert not route.items.exists()


def test_report_accept_and_return(route, actors):
    item = services.item_add(actors["cnppm"], route, item_data(), None)
    for name, actor in WALK[:4]:
        services.transition(actors[actor], route, name, "ок", None)
    report = services.report_submit(actors["teacher"], item, text="Прошла курс, удостоверение № 1")
    with pytest.raises(ValidationError):
        services.report_decide(actors["methodist"], report, accept=False, comment="")
    services.report_decide(actors["methodist"], report, accept=False, comment="Приложите скан")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    again = services.report_submit(actors["teacher"], item, link="https://example.ru/cert.pdf")
    with pytest.raises(PermissionDenied):
        services.report_decide(actors["cnppm"], again, accept=True)
    services.report_decide(actors["methodist"], again, accept=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.evidence_link == "https://example.ru/cert.pdf"


def test_routes_from_template_are_independent(actors, entry_result, two_municipalities):
    school = two_municipalities["a"]["school"]
    people = [two_municipalities["a"]["teacher"], two_municipalities["a"]["director"]]
    people += [EmploymentFactory(organization=school).person for _ in range(8)]
    template = services.template_create(
        actors["cnppm"],
        "Методический дефицит",
        [
            {
                "level": "regional", "activity_kind": "program", "title": "ДПП ПК",
                "result_form": "удостоверение", "start_offset_days": 0, "duration_days": 30,
            },
            {
                "level": "personal", "activity_kind": "self_study", "title": "Чтение",
                "result_form": "конспект", "start_offset_days": 10, "duration_days": 400,
            },
        ],
    )  # fmt: skip
    routes = services.routes_from_template(
        actors["cnppm"], template, people, TODAY, TODAY + timedelta(days=120)
    )
    assert len(routes) == 10
    assert Route.objects.filter(template=template).count() == 10
    first, second = Route.objects.filter(template=template)[:2]
    assert first.items.count() == second.items.count() == 2
    assert max(i.due_on for i in first.items.all()) == TODAY + timedelta(days=120)
    item = first.items.first()
    services.item_update(actors["cnppm"], item, {"title": "Изменено для одного"}, None)
    assert not second.items.filter(title="Изменено для одного").exists()
    typed = {r.person_id: r.route_type for r in Route.objects.filter(template=template)}
    assert typed[two_municipalities["a"]["teacher"].pk] == RouteType.DEFICITS
    assert typed[two_municipalities["a"]["director"].pk] == RouteType.DEVELOPMENT
    with pytest.raises(ValidationError):
        services.routes_from_template(
            actors["cnppm"], template, people, TODAY, TODAY + timedelta(days=120)
        )
