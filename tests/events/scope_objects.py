"""The events' share of the scope matrix (tests/accounts/test_scope_matrix.py): an event, a
participation, an internship site and an internship of each world, made when the matrix first
asks for them. The catalogue (events, sites) is the region's: outside the scope only in another
region; participation and internships are people's records, outside the scope in the neighbour
world too."""

from datetime import date, timedelta

from nms.events.models import Event, Internship, InternshipSite, Participation

TODAY = date.today()


def _objects(world):
    made = getattr(world, "_events", None)
    if made is None:
        region = world.municipality.region
        event = Event.objects.create(
            region=region, title=f"Семинар {world.mark}", kind="contest", level="regional",
            starts_on=TODAY, ends_on=TODAY, organizer=world.school,
        )  # fmt: skip
        site = InternshipSite.objects.create(
            organization=world.school, region=region, starts_on=TODAY - timedelta(days=10),
            ends_on=TODAY + timedelta(days=300), order_number=f"{world.mark}-1",
            order_date=TODAY,
        )  # fmt: skip
        made = {
            "event": event,
            "participation": Participation.objects.create(
                event=event, person=world.person, stage="school", organization=world.school
            ),
            "site": site,
            "internship": Internship.objects.create(
                site=site, person=world.person, starts_on=TODAY, ends_on=TODAY
            ),
        }
        world._events = made
    return made


def _pk(kind):
    return lambda world: {"pk": _objects(world)[kind].pk}


OBJECTS = {
    "event-detail": _pk("event"),
    "event-edit": _pk("event"),
    "participation-create": _pk("event"),
    "participation-edit": _pk("participation"),
    "site-detail": _pk("site"),
    "site-edit": _pk("site"),
    "internship-create": _pk("site"),
    "internship-edit": _pk("internship"),
    "api-event-detail": _pk("event"),
    "api-participation-detail": _pk("participation"),
    "api-internship-site-detail": _pk("site"),
    "api-internship-detail": _pk("internship"),
}
# People's records (participation, internships) follow the registry's rule and are checked against
# the neighbour world too; the catalogue (events, sites) is the region's.
PEOPLE_RECORDS = {
    "participation-edit", "internship-edit", "api-participation-detail", "api-internship-detail",
}  # fmt: skip
REGION_OBJECTS = set(OBJECTS) - PEOPLE_RECORDS
