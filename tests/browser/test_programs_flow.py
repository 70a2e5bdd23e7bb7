"""Programmes in a browser: a regional methodist enrolls a teacher in a run by СНИЛС, records
the completion with the certificate, and sees it on the teacher's card and on their route, whose
item pointing at the programme is done."""

from datetime import timedelta

import pytest

from nms.accounts.models import Role
from nms.programs.models import Programme, Run
from nms.routes.models import ItemStatus, Route, RouteItem, RouteType, Status
from tests.routes.conftest import TODAY

PASSWORD = "Пароль-для-тестов-1"


@pytest.mark.django_db(transaction=True)
def test_enroll_complete_and_see_it_on_the_card_and_the_route(
    page, login, region, two_municipalities, make_user
):
    teacher = two_municipalities["a"]["teacher"]
    methodist = make_user(Role.METHODIST)
    methodist.assigned_people.add(teacher)
    programme = Programme.objects.create(
        region=region,
        title="Функциональная грамотность: практикум",
        hours=36,
        in_federal_registry=True,
        federal_number="2025-77",
    )
    run = Run.objects.create(
        programme=programme,
        starts_on=TODAY - timedelta(days=14),
        ends_on=TODAY - timedelta(days=2),
        group_name="Группа 1",
    )
    route = Route.objects.create(
        person=teacher,
        region=region,
        route_type=RouteType.DEFICITS,
        status=Status.IN_PROGRESS,
        starts_on=TODAY - timedelta(days=60),
        ends_on=TODAY + timedelta(days=120),
    )
    item = RouteItem.objects.create(
        route=route,
        level="regional",
        activity_kind="program",
        title="ДПП по ФГ",
        source=f"program:{programme.pk}",
        starts_on=TODAY - timedelta(days=20),
        due_on=TODAY + timedelta(days=10),
        result_form="удостоверение",
    )

    login(methodist.username, PASSWORD)
    page.goto(f"/programs/runs/{run.pk}/")
    page.fill("#enroll-form input[name=snils]", teacher.snils)
    page.click("#enroll-form button[type=submit]")
    page.wait_for_selector(f"#enrollments >> text={teacher.full_name}")
    page.click(f"#enrollments >> text={teacher.full_name}")
    page.fill("#complete-form input[name=certificate_number]", "ФГ-2025-001")
    page.fill("#complete-form input[name=completed_on]", f"{TODAY - timedelta(days=2):%d.%m.%Y}")
    page.click("#complete-form button[type=submit]")
    page.wait_for_selector("#certificate")
    assert "ФГ-2025-001" in page.inner_text("#certificate")
    assert page.inner_text("#enrollment-status") == "завершил обучение"

    page.goto(f"/registry/people/{teacher.pk}/")
    history = page.inner_text("#training-history")
    assert "Функциональная грамотность: практикум" in history and "ФГ-2025-001" in history

    page.goto(f"/routes/{route.pk}/")
    assert "выполнено" in page.inner_text("#development-map")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
