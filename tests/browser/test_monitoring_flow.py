"""Monitoring in a browser: from the region dashboard down to the people behind one numerator
(region → municipality → organization → people), the charts drawn by the Chart.js we serve
under the Content-Security-Policy; then a card returned, corrected and accepted, and the
municipality's value on its dashboard changes."""

import pytest

from nms.accounts.models import Role
from nms.monitoring.compute import compute
from nms.monitoring.models import Indicator
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
)

PASSWORD = "Пароль-для-тестов-1"


@pytest.fixture
def world(transactional_db):
    Indicator.objects.filter(region__isnull=True).update(active=False)
    region = RegionFactory()
    municipality = MunicipalityFactory(region=region)
    school = OrganizationFactory(municipality=municipality)
    other = OrganizationFactory(municipality=MunicipalityFactory(region=region))
    director = EmploymentFactory(organization=school, manager_kind="head").person
    EmploymentFactory(organization=school)
    EmploymentFactory(organization=other)
    Indicator.objects.create(
        region=region, code="T3", name="Доля руководителей среди работников",
        indicator_set="R", method="records", numerator={"population": "managers"},
        denominator={"population": "workers"}, targets={"2025": 60},
    )  # fmt: skip
    Indicator.objects.create(
        region=region, code="K2", name="Число наставников", indicator_set="R", method="card",
        unit="count", card_scope="organization",
    )  # fmt: skip
    compute(region, "2025")
    return {
        "region": region, "municipality": municipality, "school": school, "director": director,
        "ministry": UserFactory(role=Role.MINISTRY, region=region, must_change_password=False),
        "municipal": UserFactory(role=Role.MUNICIPAL, municipality=municipality,
                                 must_change_password=False),
        "school_user": UserFactory(role=Role.SCHOOL, organization=school,
                                   must_change_password=False),
    }  # fmt: skip


def relogin(page, login, user):
    page.context.clear_cookies()
    login(user.username, PASSWORD)


def test_drill_down_and_a_card_corrected(page, login, world):
    login(world["ministry"].username, PASSWORD)
    page.goto("/monitoring/")
    page.locator("#indicators tr[data-code=T3] a").first.click()
    # charts.js runs after Chart.js (both deferred): wait for the drawn chart itself.
    page.wait_for_function(
        "() => !!window.Chart"
        " && !!window.Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    page.locator("#breakdown a", has_text=str(world["municipality"])).click()
    page.locator("#breakdown a", has_text=str(world["school"])).click()
    page.locator("#numerator-link").click()
    members = page.locator("#members")
    assert world["director"].last_name in members.inner_text()
    assert members.locator("tbody tr").count() == 1

    # The school fills its card and sends it; the municipal service returns it.
    relogin(page, login, world["school_user"])
    page.goto("/monitoring/cards/?period=2025")
    page.get_by_role("button", name="Заполнить").click()
    page.locator("#card-form input[type=text][name^=v]").fill("3")
    page.locator("#card-submit").click()
    assert "на проверке" in page.inner_text("#card-status")
    card_url = page.url

    relogin(page, login, world["municipal"])
    page.goto(card_url)
    page.fill("textarea[name=comment]", "Наставников пятеро, исправьте")
    page.locator("#card-return").click()
    assert "возвращена" in page.inner_text("#card-status")

    relogin(page, login, world["school_user"])
    page.goto(card_url)
    assert "исправьте" in page.inner_text("#card-comment")
    page.locator("#card-form input[type=text][name^=v]").fill("5")
    page.locator("#card-submit").click()

    relogin(page, login, world["municipal"])
    page.goto(card_url)
    page.locator("#card-accept").click()
    assert "принята" in page.inner_text("#card-status")
    page.goto("/monitoring/?period=2025")
    assert page.inner_text("#indicators tr[data-code=K2] td:nth-child(3)").strip() == "5"
