"""No public page of the demo region shows a person's СНИЛС (with or without separators), birth
date (ДД.ММ.ГГГГ or ISO), e-mail or a phone number: every page of portal/public.py PUBLIC_PAGES
that exists — the portal's own lists and the page of every public object, the mentor registry,
the banks of practices and materials, the vacancies — fetched anonymously.

The demo region is built once, small (as tests/mentoring/test_demo.py), and the portal's demo
step is checked on it too.

The documents of innovation sites (plans, reports, the selection's expert opinion): the public
portal lists and gives only the plans and reports of a public site, checked at every download;
any other document — of a site not public, of another site under this site's address, of a kind
never public, a guessed id — is 404 (on the small world of tests/portal/conftest.py)."""

import re
from datetime import date
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from nms.demo.build import build_demo_region
from nms.portal import public, services
from nms.portal.models import (
    Community,
    CommunityMember,
    InnovationSite,
    News,
    Resource,
    SiteDocument,
)
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
    # The demo's sites carry documents: a public site's plan downloads as the DOCX it is, the
    # selection's expert opinion is stored but never given.
    plan = SiteDocument.objects.filter(kind="plan", site__status="active").first()
    answer = _download(client, plan.site_id, plan.pk)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content)[:2] == b"PK"  # a DOCX is a zip
    expertise = SiteDocument.objects.get(kind="expertise")
    assert _download(client, expertise.site_id, expertise.pk).status_code == 404
    # The control: a leader's name is on the public page of their community.
    leader = CommunityMember.objects.filter(role="leader", community__published=True).first()
    page = client.get(f"/portal/communities/{leader.community_id}/").content.decode()
    assert leader.person.last_name in page


# -- the documents of innovation sites ----------------------------------------------------------
# On the world of tests/portal/conftest.py: only the plans and reports of a public site are open
# (selectors.public_site_documents); nothing else is reached by its address or a guessed id.
def _upload(user, site, kind, name, content, year=2025):
    data = {"kind": kind, "year": year, "file": SimpleUploadedFile(name, content)}
    return services.site_document(user, site, data)


def _download(client, site_pk, document_pk):
    return client.get(reverse("portal-site-document", args=[site_pk, document_pk]))


@pytest.fixture
def documents(world, users, other_cnppm):
    active, applied = world["sites"]["active"], world["sites"]["applied"]
    cnppm = users["cnppm"]
    return {
        "plan": _upload(cnppm, active, "plan", "План работы РИП 2025.pdf", b"%PDF-1.4 plan"),
        "report": _upload(cnppm, active, "report", "Отчёт (итоги года).docx", b"PK report"),
        "expertise": _upload(cnppm, active, "expertise", "Заключение эксперта.pdf", b"%PDF exp"),
        "applied": _upload(cnppm, applied, "plan", "План заявителя.pdf", b"%PDF applied"),
        "other": _upload(other_cnppm, world["sites"]["other"], "plan", "Соседи.pdf", b"%PDF o"),
    }


def test_the_public_page_of_a_site_lists_its_plans_and_reports_only(client, world, documents):
    site = world["sites"]["active"]
    response = client.get(reverse("portal-site", args=[site.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for key, name in (("plan", "План работы РИП 2025.pdf"), ("report", "Отчёт (итоги года).docx")):
        assert name in text
        assert reverse("portal-site-document", args=[site.pk, documents[key].pk]) in text
    assert "План работы" in text and "Отчёт" in text and "2025" in text
    assert "Заключение эксперта" not in text  # an internal document of the selection
    assert reverse("portal-site-document", args=[site.pk, documents["expertise"].pk]) not in text
    assert "План заявителя" not in text and "Соседи.pdf" not in text


def test_a_public_document_downloads_without_login_under_its_own_name(client, world, documents):
    site = world["sites"]["active"]
    response = _download(client, site.pk, documents["plan"].pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote("План работы РИП 2025.pdf") in disposition  # the uploaded name, in RFC 5987
    assert "no-cache" in response["Cache-Control"]  # checked again at every download
    report = _download(client, site.pk, documents["report"].pk)
    assert report.status_code == 200 and b"".join(report.streaming_content) == b"PK report"
    assert quote("Отчёт (итоги года).docx") in report["Content-Disposition"]


def test_no_document_is_reached_by_its_site_its_kind_or_a_guessed_id(client, world, documents):
    active, applied = world["sites"]["active"], world["sites"]["applied"]
    other = world["sites"]["other"]
    # a site that is not public (an application): its document, by its own address
    assert _download(client, applied.pk, documents["applied"].pk).status_code == 404
    # another site's document under this site's address: 404, though it is public at its own
    assert _download(client, other.pk, documents["other"].pk).status_code == 200
    assert _download(client, active.pk, documents["other"].pk).status_code == 404
    assert _download(client, active.pk, documents["applied"].pk).status_code == 404
    assert _download(client, applied.pk, documents["plan"].pk).status_code == 404
    # a kind that is never public
    assert _download(client, active.pk, documents["expertise"].pk).status_code == 404
    # ids that name nothing
    last = max(d.pk for d in documents.values())
    assert _download(client, active.pk, last + 1).status_code == 404
    huge = "99999999999999999999"
    assert client.get(f"/portal/innovation-sites/{active.pk}/documents/{huge}/").status_code == 404
    assert client.get(f"/portal/innovation-sites/{huge}/documents/1/").status_code == 404


def test_the_public_address_gives_a_signed_in_editor_no_more(client, world, users, documents):
    client.force_login(users["cnppm"])  # sees every document on the working page
    site = world["sites"]["active"]
    assert _download(client, site.pk, documents["expertise"].pk).status_code == 404
    assert _download(client, site.pk, documents["applied"].pk).status_code == 404
    applied = world["sites"]["applied"]
    assert _download(client, applied.pk, documents["applied"].pk).status_code == 404


def test_a_site_taken_off_the_portal_takes_its_documents_away(client, world, users, documents):
    site = world["sites"]["active"]
    assert _download(client, site.pk, documents["plan"].pk).status_code == 200
    decision = {"status": "terminated", "decided_by": "ministry", "order_number": "77-од",
                "order_date": date.today()}  # fmt: skip
    services.site_decide(users["ministry"], site, decision)
    assert _download(client, site.pk, documents["plan"].pk).status_code == 404
    assert client.get(reverse("portal-site", args=[site.pk])).status_code == 404
