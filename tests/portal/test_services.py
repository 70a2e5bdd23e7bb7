"""Services of the portal: who may write what, the selection's decision, plans and reports,
members; refusals in Russian with nothing saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nms.common.concurrency import StaleRecord
from nms.portal import services
from nms.portal.models import Community, CommunityMember, InnovationSite, SiteDocument
from tests.portal.conftest import TODAY

pytestmark = pytest.mark.django_db


def _application(school, **extra):
    return {
        "organization": school,
        "project": "Цифровая школа",
        "topic": "ЦОС",
        "starts_on": TODAY,
        "ends_on": TODAY + timedelta(days=700),
        **extra,
    }


def test_a_municipal_coordinator_applies_for_a_school_of_their_municipality_only(world, users):
    municipal = users["municipal"]
    site = services.site_create(municipal, _application(world["a"]["school"]))
    assert site.status == "applied" and site.region == world["region"]
    assert site.applied_on == TODAY
    with pytest.raises(PermissionDenied):
        services.site_create(municipal, _application(world["b"]["school"]))
    assert (
        InnovationSite.objects.filter(
            organization=world["b"]["school"], project="Цифровая школа"
        ).count()
        == 0
    )


def test_a_period_ending_before_it_starts_is_refused(world, users):
    data = _application(world["a"]["school"], ends_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.site_create(users["cnppm"], data)
    assert "Окончание периода раньше его начала" in str(error.value)


def test_the_selection_is_decided_by_the_cnppm_or_the_ministry_with_an_order(world, users):
    site = world["sites"]["applied"]
    decision = {"status": "active", "decided_by": "ministry", "order_number": "45-од",
                "order_date": TODAY}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.site_decide(users["municipal"], site, decision)
    with pytest.raises(ValidationError) as error:
        services.site_decide(users["cnppm"], site, {**decision, "order_number": " "})
    assert "номер приказа" in str(error.value)
    site.refresh_from_db()
    assert site.status == "applied"
    decided = services.site_decide(users["ministry"], site, decision, site.version)
    assert (decided.status, decided.order_number, decided.decided_by) == (
        "active",
        "45-од",
        "ministry",
    )
    with pytest.raises(ValidationError) as error:
        services.site_decide(users["cnppm"], decided, {**decision, "status": "rejected"})
    assert "нельзя перейти" in str(error.value)


def test_a_decision_over_a_stale_copy_is_refused(world, users):
    site = world["sites"]["applied"]
    decision = {"status": "rejected", "decided_by": "cnppm", "order_number": "1",
                "order_date": TODAY}  # fmt: skip
    with pytest.raises(StaleRecord):
        services.site_decide(users["cnppm"], site, decision, expected_version=site.version + 5)


def test_plans_and_reports_per_year_replace_the_old_file(world, users):
    site = world["sites"]["active"]
    first = SimpleUploadedFile("plan.pdf", b"%PDF plan")
    services.site_document(users["municipal"], site, {"kind": "plan", "year": 2025, "file": first})
    second = SimpleUploadedFile("plan2.pdf", b"%PDF plan 2")
    services.site_document(users["cnppm"], site, {"kind": "plan", "year": 2025, "file": second})
    assert SiteDocument.objects.filter(site=site).count() == 1
    with pytest.raises(ValidationError) as error:
        bad = SimpleUploadedFile("plan.exe", b"MZ")
        services.site_document(users["cnppm"], site, {"kind": "report", "year": 2025, "file": bad})
    assert "Допускаются файлы" in str(error.value)
    with pytest.raises(PermissionDenied):
        other = SimpleUploadedFile("r.pdf", b"%PDF")
        services.site_document(
            users["school"], site, {"kind": "report", "year": 2025, "file": other}
        )


def test_communities_of_a_municipality_are_its_coordinators_and_the_editors(world, users):
    municipal = users["municipal"]
    data = {"name": "МО учителей истории", "kind": "methodical", "level": "municipal",
            "municipality": world["a"]["municipality"]}  # fmt: skip
    made = services.community_create(municipal, data)
    assert made.region == world["region"]
    with pytest.raises(PermissionDenied):
        services.community_create(municipal, {**data, "municipality": world["b"]["municipality"]})
    with pytest.raises(PermissionDenied):  # a regional community is the editors'
        services.community_update(municipal, world["communities"]["association"], {"topic": "х"})
    services.community_update(
        users["cnppm"], world["communities"]["association"], {"topic": "алгебра"}
    )
    assert Community.objects.get(pk=world["communities"]["association"].pk).topic == "алгебра"


def test_members_come_from_the_region_and_a_leader_is_a_role(world, users):
    community = world["communities"]["mo_a"]
    member = services.member_add(users["municipal"], community, world["a"]["director"], "leader")
    assert member.role == "leader"
    services.member_add(users["municipal"], community, world["a"]["director"], "member")
    assert CommunityMember.objects.get(pk=member.pk).role == "member"
    with pytest.raises(ValidationError) as error:
        services.member_add(users["cnppm"], community, world["other"]["person"])
    assert "другого региона" in str(error.value)
    services.member_remove(users["cnppm"], member)
    assert not CommunityMember.objects.filter(pk=member.pk).exists()


def test_resources_and_news_are_the_editors_only(world, users):
    data = {"title": "Новый ресурс", "kind": "platform", "url": "https://x.example.ru"}
    with pytest.raises(PermissionDenied):
        services.resource_create(users["municipal"], data)
    resource = services.resource_create(users["cnppm"], data)
    assert resource.region == world["region"] and resource.search_text == "новый ресурс"
    news = services.news_create(
        users["ministry"], {"title": "Новость", "published_on": TODAY, "text": "т"}
    )
    assert not news.published
    with pytest.raises(PermissionDenied):
        services.news_update(users["teacher"], news, {"published": True})


def test_a_document_keeps_its_uploaded_name_and_its_kind_is_checked(world, users):
    site = world["sites"]["active"]
    upload = SimpleUploadedFile("Экспертное заключение № 3.pdf", b"%PDF")
    data = {"kind": "expertise", "year": 2025, "file": upload}
    document = services.site_document(users["cnppm"], site, data)
    assert document.original_name == "Экспертное заключение № 3.pdf"
    assert document.filename == "Экспертное заключение № 3.pdf"  # the storage's name may differ
    assert document.size == 4
    with pytest.raises(ValidationError) as error:
        bad = {"kind": "order", "year": 2025, "file": SimpleUploadedFile("п.pdf", b"%PDF")}
        services.site_document(users["cnppm"], site, bad)
    assert "Выберите вид документа" in str(error.value)
    assert SiteDocument.objects.filter(site=site).count() == 1


def test_original_name_drops_a_path_and_control_characters():
    assert services.original_name("C:\\Users\\Иванов\\План.pdf") == "План.pdf"
    assert services.original_name("../../etc/Отчёт\r\n.pdf") == "Отчёт.pdf"
    long = services.original_name("о" * 300 + ".docx")
    assert len(long) == 255 and long.endswith(".docx")
