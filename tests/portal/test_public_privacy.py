"""No public page of the demo region shows a person's СНИЛС (with or without separators), birth
date (ДД.ММ.ГГГГ or ISO), e-mail or a phone number: every page of portal/public.py PUBLIC_PAGES
that exists — the portal's own lists and the page of every public object, the mentor registry,
the banks of practices and materials, the vacancies — fetched anonymously.

The demo region is built once, small (as tests/mentoring/test_demo.py), and the portal's demo
step is checked on it too."""

import re

import pytest
from django.test import Client

from nms.demo.build import build_demo_region
from nms.portal import public
from nms.portal.models import Community, CommunityMember, InnovationSite, News, Resource
from nms.registry.models import Person, Region

pytestmark = pytest.mark.django_db

SIZES = {"municipalities": 2, "organizations": 8, "people": 40, "seed": 3}
# A Russian phone number however it is written: +7 912 345-67-89, 8 (912) 345-67-89, 89123456789.
PHONE = re.compile(r"(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b")


def _secrets(people) -> list[str]:
    secrets = []
    for snils, birth, email in people:
        digits = re.sub(r"\D", "", snils)
        secrets += [snils, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:9]}-{digits[9:]}"]
        secrets += [birth.strftime("%d.%m.%Y"), birth.isoformat()]
        if email:
            secrets.append(email)
    return secrets


def test_no_public_page_of_the_demo_region_names_anything_personal():
    summary = build_demo_region(**SIZES)
    assert "портал:" in summary
    region = Region.objects.get()
    # the demo step: every kind of item, every state of the selection, members with leaders
    assert 8 <= InnovationSite.objects.filter(region=region).count() <= 12
    assert set(InnovationSite.objects.values_list("status", flat=True)) == {
        "applied", "active", "rejected", "completed", "terminated",
    }  # fmt: skip
    assert Community.objects.filter(region=region).count() >= 12
    assert CommunityMember.objects.filter(role="leader").exists()
    assert Resource.objects.filter(region=region, kind="academy").count() >= 3
    assert Resource.objects.filter(region=region).count() >= 20
    assert 10 <= News.objects.filter(region=region).count() <= 14

    people = list(Person.objects.values_list("snils", "birth_date", "email"))
    secrets = _secrets(people)
    assert any(email for _, _, email in people)  # the demo's people do have e-mails
    urls = public.public_urls(region)
    names = {name for name, _ in public.existing_pages()}
    assert {"portal-home", "portal-community", "portal-resource", "mentor-registry"} <= names
    assert len(urls) > 40
    client = Client()
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        found = [s for s in secrets if s in text]
        if PHONE.search(text):
            found.append(PHONE.search(text).group(0))
        if found:
            leaks.append((url, found[:3]))
    assert not leaks, leaks
    # The control: a leader's name is on the public page of their community.
    leader = CommunityMember.objects.filter(role="leader", community__published=True).first()
    page = client.get(f"/portal/communities/{leader.community_id}/").content.decode()
    assert leader.person.last_name in page
