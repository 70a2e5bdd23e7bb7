"""The demo region has routes in every state, the demo teacher's among them."""

from datetime import date

import pytest

from nms.accounts.models import User
from nms.demo.generator import generate_region
from nms.demo.routes import generate_routes
from nms.registry.models import Region
from nms.routes.models import Route, Status
from nms.routes.selectors import routes_visible

TODAY = date(2026, 11, 25)


@pytest.mark.django_db
def test_routes_in_every_state():
    generate_region(municipalities=2, organizations=20, people=600, seed=5, today=TODAY)
    created = generate_routes(Region.objects.get(), seed=5, today=TODAY, limit=60)
    assert created == Route.objects.count() > 40
    assert set(Route.objects.values_list("status", flat=True)) == set(Status.values)
    teacher = User.objects.get(username="teacher")
    mine = routes_visible(teacher).get()
    assert mine.status == Status.IN_PROGRESS and mine.items.exists()
    for route in Route.objects.exclude(status=Status.DRAFT)[:20]:
        assert route.events.count() >= 2
        assert route.versions.filter(number=route.version).exists()
    completed = Route.objects.filter(status=Status.COMPLETED)
    assert all(r.exit_result_id for r in completed)
    school = User.objects.get(username="school")
    assert routes_visible(school).count() < Route.objects.count()
