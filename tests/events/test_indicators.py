"""The indicators' selectors on hand-built data (CHECKLIST C16, C17, C18, C22), with the cases
that must not count named in each test."""

from datetime import date, timedelta

import pytest

from nms.events import selectors
from nms.events.models import Event, Internship, InternshipSite, Participation
from nms.registry.models import Position
from tests.factories import EmploymentFactory, MunicipalityFactory, OrganizationFactory

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _event(region, starts_on):
    return Event.objects.create(
        region=region, title="Семинар", kind="seminar", level="regional",
        starts_on=starts_on, ends_on=starts_on, organizer_name="ИРО",
    )  # fmt: skip


def _site(organization, starts_on, **kwargs):
    return InternshipSite.objects.create(
        organization=organization, region=organization.region, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=730), order_number="1", order_date=starts_on,
        **kwargs,
    )  # fmt: skip


@pytest.mark.django_db
def test_c22_low_results_schools_involved(region):
    municipality, elsewhere = MunicipalityFactory(region=region), MunicipalityFactory(region=region)
    involved = OrganizationFactory(municipality=municipality, is_low_results=True)
    interned = OrganizationFactory(municipality=municipality, is_low_results=True)
    out_of_period = OrganizationFactory(municipality=municipality, is_low_results=True)
    idle = OrganizationFactory(municipality=municipality, is_low_results=True)
    not_low = OrganizationFactory(municipality=municipality)  # took part, not a ШНОР
    other_municipality = OrganizationFactory(municipality=elsewhere, is_low_results=True)
    in_year, before = _event(region, date(2025, 3, 1)), _event(region, date(2024, 12, 31))
    for org, event in [(involved, in_year), (out_of_period, before), (not_low, in_year)]:
        person = EmploymentFactory(organization=org).person
        # Two participants of one school count it once.
        Participation.objects.create(event=event, person=person)
    Participation.objects.create(
        event=in_year, person=EmploymentFactory(organization=involved).person
    )
    site = _site(not_low, date(2024, 1, 1))
    Internship.objects.create(
        site=site, person=EmploymentFactory(organization=interned).person,
        starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 10), completed=True,
    )  # fmt: skip
    EmploymentFactory(organization=idle)
    EmploymentFactory(organization=other_municipality)
    since, until = YEAR
    assert selectors.c22_low_results_involved(
        municipality=municipality, since=since, until=until
    ) == (
        2,
        4,
    )
    assert selectors.c22_low_results_involved(region=region, since=since, until=until) == (2, 5)


@pytest.mark.django_db
def test_c16_programmes_updated_per_site(region):
    org = OrganizationFactory(municipality=MunicipalityFactory(region=region))
    on, since = date(2025, 6, 1), date(2025, 1, 1)
    updated = _site(org, date(2024, 9, 1), programmes="П1", programmes_updated_on=date(2025, 2, 1))
    _site(org, date(2024, 9, 1), programmes="П1", programmes_updated_on=date(2024, 12, 31))
    _site(org, date(2024, 9, 1), programmes="", programmes_updated_on=date(2025, 2, 1))
    _site(org, date(2020, 1, 1), programmes="П1", programmes_updated_on=date(2025, 2, 1))  # over
    rows = list(selectors.c16_sites(region, on=on, since=since))
    assert len(rows) == 3 and [s.pk for s in rows if s.updated] == [updated.pk]
    assert selectors.c16_counts(region, on=on, since=since) == (1, 3)


@pytest.mark.django_db
def test_c17_new_sites_of_the_year(region):
    municipality = MunicipalityFactory(region=region)
    renewed, new, last_year = (OrganizationFactory(municipality=municipality) for _ in range(3))
    _site(renewed, date(2023, 1, 1))
    _site(renewed, date(2025, 1, 1))  # a renewal: not new
    _site(new, date(2025, 4, 1))
    _site(last_year, date(2024, 4, 1))
    assert selectors.c17_new_sites(region, year=2025) == 1


@pytest.mark.django_db
def test_c18_share_of_pedagogical_workers_with_an_internship(region):
    municipality = MunicipalityFactory(region=region)
    school = OrganizationFactory(municipality=municipality)
    site = _site(school, date(2024, 1, 1))
    done, twice, unfinished, last_year, _idle = (
        EmploymentFactory(organization=school).person for _ in range(5)
    )
    cleaner = EmploymentFactory(
        organization=school, position=Position.objects.create(name="уборщик", is_pedagogical=False)
    ).person
    for person, ends_on, completed in [
        (done, date(2025, 3, 10), True),
        (twice, date(2025, 3, 10), True),
        (twice, date(2025, 9, 10), True),
        (unfinished, date(2025, 3, 10), False),
        (last_year, date(2024, 12, 20), True),
        (cleaner, date(2025, 3, 10), True),  # not pedagogical: in neither count
    ]:
        Internship.objects.create(
            site=site, person=person, starts_on=ends_on - timedelta(days=5), ends_on=ends_on,
            completed=completed,
        )  # fmt: skip
    since, until = YEAR
    assert selectors.c18_internship_share(region=region, since=since, until=until) == (2, 5)
    assert selectors.c18_internship_share(
        municipality=MunicipalityFactory(region=region), since=since, until=until
    ) == (0, 0)
