"""The events' workbooks, for tests/common/test_xlsx_exports.py (names with formula payloads
stay text) and read back here."""

import io
from datetime import date

from openpyxl import load_workbook

from nms.events import exports, importers, selectors
from nms.events.models import Event, Internship, InternshipSite, Participation
from nms.registry.models import Person

PAYLOAD = '=HYPERLINK("http://x.example","y")'


def events_workbooks(user) -> dict[str, bytes]:
    """Each workbook the app makes, with an event, a participation, a site and an internship
    in the user's region named with a formula payload."""
    person = Person.objects.filter(region__in=_regions(user), employments__isnull=False).first()
    organization = person.employments.first().organization
    today = date.today()
    event = Event.objects.create(
        region=person.region, title=PAYLOAD, kind="contest", level="regional", starts_on=today,
        ends_on=today, organizer_name=PAYLOAD, nominations=PAYLOAD,
    )  # fmt: skip
    Participation.objects.create(event=event, person=person, stage="school", nomination=PAYLOAD)
    site = InternshipSite.objects.create(
        organization=organization, region=person.region, starts_on=today, ends_on=today,
        order_number=PAYLOAD, order_date=today, programmes=PAYLOAD,
    )  # fmt: skip
    Internship.objects.create(
        site=site, person=person, starts_on=today, ends_on=today, programme=PAYLOAD
    )
    return {
        "events_xlsx": exports.events_xlsx(selectors.events_for_list(user)),
        "participations_xlsx": exports.participations_xlsx(selectors.participations_for_list(user)),
        "sites_xlsx": exports.sites_xlsx(selectors.sites_for_list(user)),
        "internships_xlsx": exports.internships_xlsx(selectors.internships_for_list(user)),
        "template_xlsx": importers.template_xlsx(),
    }


def _regions(user):
    from nms.accounts.scope import scope_of

    return scope_of(user).regions()


def test_workbooks_keep_the_payload_as_text(users):
    for name, content in events_workbooks(users["cnppm"]).items():
        book = load_workbook(io.BytesIO(content))
        values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"], name
        if name != "template_xlsx":
            assert PAYLOAD in values, name
