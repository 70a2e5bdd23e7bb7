"""Populations over the catalogs app's records (see populations.py).

- `catalog_published` — practices and methodical materials published (after the expert review)
  on or before the period's end: the stock of the banks (C28, D11);
- `catalog_new` — items published within the period (C32: the banks replenished);
- `catalog_authors` — the authors (registry people) of items published on or before the
  period's end, placed where they work (F5.5);
- `catalog_replications` — published practices taken up within the period, by the organization
  or municipality that took them up.
"""

from django.db.models import Q

from nms.monitoring.populations import PEOPLE_FLAGS, Population, _add, _person_territory

ITEM_FIELDS = {
    "kind": "kind",
    "level": "level",
    "material_kind": "material_kind",
    "event_kind": "event__kind",
}


def _published(ctx):
    return Q(status="published")


def _item_population(key, label, **dates):
    return Population(
        key=key,
        label=label,
        model="catalogs.Item",
        region="region_id",
        municipality="organization__municipality_id",
        organization="organization_id",
        unit="row",
        base=_published,
        fields=ITEM_FIELDS,
        **dates,
    )


_add(
    _item_population(
        "catalog_published", "опубликованные практики и материалы", since="published_on"
    ),
    _item_population(
        "catalog_new", "практики и материалы, опубликованные в периоде", date="published_on"
    ),
    Population(
        key="catalog_authors",
        label="авторы опубликованных практик и материалов",
        model="catalogs.Authorship",
        **_person_territory("person"),
        since="item__published_on",
        base=lambda ctx: Q(item__status="published"),
        fields={
            "kind": "item__kind",
            "level": "item__level",
            "material_kind": "item__material_kind",
            "replication_level": "item__replications__level",
        },
        flags=PEOPLE_FLAGS,
    ),
    Population(
        key="catalog_replications",
        label="тиражирование практик",
        model="catalogs.Replication",
        region="item__region_id",
        municipality="municipality_id",
        organization="organization_id",
        date="replicated_on",
        unit="row",
        fields={"level": "level"},
    ),
)
