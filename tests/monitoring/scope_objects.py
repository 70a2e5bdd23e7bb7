"""The monitoring app's share of the scope matrix (tests/accounts/test_scope_matrix.py): a
region's own indicator and a recommendation rule, and for the world's school a snapshot, an
information card, a published recommendation to its teachers and a management decision, made when
the matrix first asks for them. Dashboards, reports and an indicator's people are asked for the
world's school (`organization/<pk>`).

A region's indicators and rules are the region's (monitoring/access.py: indicators are public to
everyone working in the region): region objects, outside the scope only in another region. The
built-in indicators of the catalogue have no region and are read by every signed-in user: they
would say nothing about the scope, so the matrix asks for the region's own indicator instead."""

from datetime import date, timedelta

from django.utils import timezone

from nms.monitoring.models import (
    Decision,
    Indicator,
    InfoCard,
    Recommendation,
    RecommendationRule,
    Snapshot,
)

TODAY = date.today()
PERIOD = str(TODAY.year)


def _label(world) -> str:
    """The region's indicators and rules carry the world's mark only when the region is the
    world's own (the lists of the matrix look for the marks of the outside worlds)."""
    return world.mark if world.own_region else f"№ {world.municipality.pk}"


def _objects(world):
    made = getattr(world, "_monitoring", None)
    if made is None:
        region = world.municipality.region
        indicator = Indicator.objects.create(
            region=region, code=f"R{world.municipality.pk}", name=f"Показатель {_label(world)}",
            indicator_set="R", method="card", card_scope="organization",
        )  # fmt: skip
        school = world.school
        decision = Decision.objects.create(
            region=region, title=f"Решение {world.mark}", decided_on=TODAY,
            measures="Меры", base_period=PERIOD, responsible=f"Ответственный {world.mark}",
            deadline=TODAY + timedelta(days=30),
        )  # fmt: skip
        decision.organizations.set([school])
        decision.municipalities.set([world.municipality])
        made = {
            "school": school,
            "indicator": indicator,
            "rule": RecommendationRule.objects.create(
                region=region,
                indicator=indicator,
                addressee="teachers",
                text=f"Правило {_label(world)}",
            ),  # fmt: skip
            "snapshot": Snapshot.objects.create(
                region=region,
                indicator=indicator,
                period=PERIOD,
                starts_on=date(TODAY.year, 1, 1),
                ends_on=date(TODAY.year, 12, 31),
                scope_type="organization",
                scope_id=school.pk,
                scope_name=school.short_name,
                definition_version=1,
                computed_at=timezone.now(),
            ),  # fmt: skip
            "card": InfoCard.objects.create(
                region=region,
                period=PERIOD,
                scope_type="organization",
                municipality=world.municipality,
                organization=school,
                status="submitted",
            ),  # fmt: skip
            "recommendation": Recommendation.objects.create(
                region=region,
                indicator=indicator,
                period=PERIOD,
                addressee="teachers",
                municipality=world.municipality,
                organization=school,
                text=f"Рекомендация {world.mark}",
                status="published",
                published_at=timezone.now(),
            ),  # fmt: skip
            "decision": decision,
        }
        world._monitoring = made
    return made


def _pk(kind):
    return lambda world: {"pk": _objects(world)[kind].pk}


def _place(**extra):
    def kwargs(world):
        made = _objects(world)
        values = {"scope_type": "organization", "pk": made["school"].pk}
        for key, value in extra.items():
            values[key] = made[value].pk if value in made else value
        return values

    return kwargs


REGION = {
    "monitoring-indicator-detail": _pk("indicator"),
    "monitoring-rule": _pk("rule"),
    "monitoring-api-rule-detail": _pk("rule"),
}
OBJECTS = {
    **REGION,
    "monitoring-dashboard": _place(),
    "monitoring-report": _place(kind="xlsx"),
    "monitoring-indicator": _place(indicator_pk="indicator"),
    "monitoring-members": _place(indicator_pk="indicator"),
    "monitoring-card-open": _place(),
    "monitoring-snapshot-detail": _pk("snapshot"),
    "monitoring-card": _pk("card"),
    "monitoring-card-decide": lambda world: {
        "pk": _objects(world)["card"].pk,
        "decision": "accept",
    },  # fmt: skip
    "monitoring-api-card-detail": _pk("card"),
    "monitoring-api-card-accept": _pk("card"),
    "monitoring-api-card-send-back": _pk("card"),
    "monitoring-api-card-submit": _pk("card"),
    "monitoring-api-card-values": _pk("card"),
    "monitoring-recommendation": _pk("recommendation"),
    "monitoring-recommendation-step": lambda world: {
        "pk": _objects(world)["recommendation"].pk,
        "step": "done",
    },  # fmt: skip
    "monitoring-api-recommendation-detail": _pk("recommendation"),
    "monitoring-api-recommendation-done": _pk("recommendation"),
    "monitoring-api-recommendation-publish": _pk("recommendation"),
    "monitoring-decision": _pk("decision"),
    "monitoring-decision-edit": _pk("decision"),
    "monitoring-api-decision-detail": _pk("decision"),
}
REGION_OBJECTS = set(REGION)
METHODIST_REGION: set[str] = set()
