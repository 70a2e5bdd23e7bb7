"""Matching mentors to deficits and the figures for the monitoring, against hand counts."""

from datetime import timedelta

from nms.mentoring import selectors
from nms.mentoring.models import MentoringSchool, MentorProfile, Pair
from nms.registry.models import Municipality
from tests.factories import EmploymentFactory, MunicipalityFactory, PersonFactory
from tests.mentoring.conftest import TODAY, diagnostics, profile, teacher_at


def test_a_mentor_strong_in_the_deficit_and_the_subject_ranks_first(world):
    matches = selectors.match_mentors(world.mentee)
    ranked = [m.profile for m in matches]
    # Covering the methodical deficit: best (mathematics), then area_only (physics, same school);
    # subject_only covers no deficit, full has no place, far keeps to municipality B.
    assert ranked == [world.profiles.best, world.profiles.area_only]
    best = matches[0]
    assert best.covered == ["методическая"] and best.same_subject == ["математика"]
    assert "закрывает дефициты: методическая" in best.reason
    assert "тот же предмет: математика" in best.reason
    assert "подтверждено диагностикой: методическая" in best.reason
    assert "та же организация" in matches[1].reason


def test_same_subject_outranks_geography_and_geography_breaks_ties(world):
    # Another mathematics mentor strong in the deficit, in the mentee's own school: same subject
    # and same organization — above best (same subject, same municipality only).
    near = teacher_at(world.a["school"], ["математика"], last_name="Ближняя")
    near_profile = profile(near, ["methodical"], ["математика"])
    ranked = [m.profile for m in selectors.match_mentors(world.mentee)]
    assert ranked[:3] == [near_profile, world.profiles.best, world.profiles.area_only]


def test_full_mentors_are_excluded_and_return_when_a_place_frees(world):
    assert world.profiles.full not in [m.profile for m in selectors.match_mentors(world.mentee)]
    Pair.objects.filter(mentor=world.profiles.full.person).update(status="completed")
    assert world.profiles.full in [m.profile for m in selectors.match_mentors(world.mentee)]


def test_without_deficits_mentors_are_ranked_by_subject_and_place(world, region):
    diagnostics(region, world.mentee, {"methodical": 95, "ict": 95}, days_ago=1)
    ranked = [m.profile for m in selectors.match_mentors(world.mentee)]
    assert world.profiles.subject_only in ranked
    assert ranked.index(world.profiles.best) < ranked.index(world.profiles.area_only)


def test_public_page_shows_backed_areas_and_no_personal_data(world):
    rows = selectors.public_page([world.profiles.best])
    [row] = rows
    assert row.name.startswith("Лучшева") and row.areas == [("методическая", True)]
    assert row.subjects == ["математика"] and row.free
    assert set(vars(row)) == {
        "profile_id", "name", "organizations", "municipality", "subjects", "areas", "free",
    }  # fmt: skip


def test_registry_search_by_subject_area_municipality_and_never_by_numbers(world):
    rows = set(selectors.registry_rows(area=world.profiles.best.areas.get()))
    assert rows == {
        world.profiles.best, world.profiles.area_only, world.profiles.full, world.profiles.far,
    }  # fmt: skip
    by_place = set(selectors.registry_rows(municipality=world.b["municipality"]))
    assert by_place == {world.profiles.far}
    assert list(selectors.registry_rows(q="лучшева")) == [world.profiles.best]
    snils = world.profiles.best.person.snils
    assert not selectors.registry_rows(q=snils).exists()
    assert not selectors.registry_rows(q=snils.replace("-", "").replace(" ", "")).exists()
    MentorProfile.objects.filter(pk=world.profiles.best.pk).update(public=False)
    assert not selectors.registry_rows(q="лучшева").exists()


def _young(organization, last_name):
    person = PersonFactory(last_name=last_name, birth_date=TODAY - timedelta(days=25 * 366))
    EmploymentFactory(person=person, organization=organization, experience_years=1,
                      experience_as_of=TODAY)  # fmt: skip
    return person


def test_young_teachers_with_a_mentor_equal_a_hand_count(world, region):
    a, b = world.a, world.b
    young = [_young(a["school"], f"Молодая{i}") for i in range(3)]
    young_b = _young(b["school"], "МолодаяБ")
    mentor = world.profiles.best.person
    Pair.objects.create(mentor=mentor, mentee=young[0], form="teacher_teacher", starts_on=TODAY)
    Pair.objects.create(  # completed last month: not a mentee today
        mentor=mentor, mentee=young[1], form="teacher_teacher",
        starts_on=TODAY - timedelta(days=100), completed_on=TODAY - timedelta(days=30),
        status="completed",
    )  # fmt: skip
    Pair.objects.create(mentor=mentor, mentee=young_b, form="team_team", starts_on=TODAY)
    assert selectors.young_with_mentor(region) == (2, 4)
    assert selectors.young_with_mentor(region, a["municipality"]) == (1, 3)
    assert selectors.young_with_mentor(region, b["municipality"]) == (1, 1)
    # A month and a half ago young[1] was a mentee (young[0]'s pair had not started).
    assert selectors.young_with_mentor(region, on=TODAY - timedelta(days=45))[0] == 1


def test_pairs_by_form_and_mentors_per_municipality(world, region):
    a, b = world.a, world.b
    # The world holds one active pair (full → director A, teacher_teacher).
    Pair.objects.create(
        mentor=world.profiles.far.person, mentee=b["teacher"], form="team_team", starts_on=TODAY
    )
    Pair.objects.create(
        mentor=world.profiles.best.person, mentee=a["teacher"], form="manager_manager",
        starts_on=TODAY - timedelta(days=9), completed_on=TODAY - timedelta(days=1),
        status="completed",
    )  # fmt: skip
    assert selectors.pairs_by_form(region) == {
        "teacher_teacher": 1, "manager_manager": 0, "team_team": 1,
    }  # fmt: skip
    assert selectors.pairs_by_form(region, b["municipality"])["team_team"] == 1
    assert selectors.pairs_by_form(region, b["municipality"])["teacher_teacher"] == 0
    assert selectors.pairs_by_form(region, on=TODAY - timedelta(days=5))["manager_manager"] == 1
    # Mentors: 5 active profiles — best, subject_only, full in municipality A's other school,
    # area_only in school A, far in school B.
    assert selectors.mentors_per_municipality(region) == {
        a["municipality"].pk: 4, b["municipality"].pk: 1,
    }  # fmt: skip
    MentorProfile.objects.filter(pk=world.profiles.subject_only.pk).update(active=False)
    assert selectors.mentors_per_municipality(region)[a["municipality"].pk] == 3


def test_municipalities_with_a_school_and_schools_in_mentoring(world, region):
    a, b = world.a, world.b
    MunicipalityFactory(region=region)
    assert selectors.municipalities_with_school(region) == (0, 3)
    MentoringSchool.objects.create(municipality=a["municipality"], name="Школа наставника",
                                   founded_on=TODAY - timedelta(days=5))  # fmt: skip
    MentoringSchool.objects.create(
        municipality=b["municipality"], name="Закрытая", founded_on=TODAY - timedelta(days=50),
        closed_on=TODAY - timedelta(days=10),
    )  # fmt: skip
    assert selectors.municipalities_with_school(region) == (1, 3)
    assert Municipality.objects.filter(region=region).count() == 3
    # Three general schools (A, B, other school A): the active pair's mentee works at school A.
    assert selectors.schools_in_mentoring(region) == (1, 3)
    assert selectors.schools_in_mentoring(region, b["municipality"]) == (0, 1)
