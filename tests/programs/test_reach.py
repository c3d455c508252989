"""Overlap and exclusion: the definitions, the filters and the workbooks."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from households.identity import mask
from programs.models import EnrollmentStatus, ExitReason
from programs.reach import (
    OverlapScope,
    Unit,
    excluded_households,
    excluded_per_village,
    overlap,
    overlap_rows,
    with_eligible_members,
    write_exclusion,
    write_overlap,
)
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    EnrollmentFactory,
    HouseholdFactory,
    PersonFactory,
    PillarFactory,
    ProgramFactory,
    VillageQuotaFactory,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 11, 1)
YEAR_2024 = {"start_date": datetime.date(2024, 1, 1), "end_date": datetime.date(2024, 12, 31)}


@pytest.fixture(autouse=True)
def region(settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02", name="Kabupaten Kotabaru")
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.06", name="Kelumpang Tengah")
    return {
        "langadai": AreaFactory(code="63.02.17.2003", name="Langadai"),
        "tegal_rejo": AreaFactory(code="63.02.17.2004", name="Tegal Rejo"),
        "tarjun": AreaFactory(code="63.02.06.2013", name="Tarjun"),
        "outside": AreaFactory(code="63.03.01.2001", name="Di Luar"),
    }


def person_in(village, *, desil=1, born=datetime.date(1990, 1, 1), **kwargs):
    household = HouseholdFactory(village=village, desil=desil, **kwargs)
    return PersonFactory(household=household, birth_date=born)


def enrol(program, person, **kwargs):
    return EnrollmentFactory(program=program, person=person, **kwargs)


def exit_(enrollment):
    enrollment.status = EnrollmentStatus.EXITED
    enrollment.exit_reason = ExitReason.MOVED
    enrollment.save()


def ids(queryset, key="person"):
    return [row[key] for row in queryset]


# Overlap ---------------------------------------------------------------------------------


@pytest.fixture
def programs():
    bansos, empowerment = PillarFactory(order=1), PillarFactory(order=2)
    return {
        "pkh": ProgramFactory(code="PKH-2025", pillar=bansos),
        "sembako": ProgramFactory(code="SEMBAKO-2025", pillar=bansos),
        "wmp": ProgramFactory(code="WMP-2025", pillar=empowerment),
        "old": ProgramFactory(code="PKH-2024", pillar=bansos, **YEAR_2024),
    }


def test_a_person_in_two_programs_of_the_same_year_is_overlap(region, programs):
    person = person_in(region["langadai"])
    enrol(programs["pkh"], person)
    enrol(programs["wmp"], person)
    alone = person_in(region["langadai"])
    enrol(programs["pkh"], alone)

    rows = list(overlap(OverlapScope(year=2025), Unit.PEOPLE))

    assert rows == [{"person": person.pk, "program_count": 2}]
    # The program of October 2025 to March 2026 touches 2026 too.
    assert ids(overlap(OverlapScope(year=2026), Unit.PEOPLE)) == [person.pk]


def test_programs_of_different_years_are_not_overlap(region, programs):
    person = person_in(region["langadai"])
    enrol(programs["pkh"], person)
    enrol(programs["old"], person)

    assert ids(overlap(OverlapScope(year=2025), Unit.PEOPLE)) == []
    assert ids(overlap(OverlapScope(year=2024), Unit.PEOPLE)) == []


def test_an_exited_enrolment_does_not_count(region, programs):
    person = person_in(region["langadai"])
    enrol(programs["pkh"], person)
    exit_(enrol(programs["wmp"], person))
    graduated = person_in(region["langadai"])
    enrol(programs["pkh"], graduated)
    enrol(programs["wmp"], graduated, status=EnrollmentStatus.GRADUATED)

    assert ids(overlap(OverlapScope(year=2025), Unit.PEOPLE)) == [graduated.pk]


def test_a_household_whose_members_are_in_two_programs_is_household_overlap(region, programs):
    father = person_in(region["langadai"])
    mother = PersonFactory(household=father.household)
    enrol(programs["pkh"], father)
    enrol(programs["wmp"], mother)

    assert ids(overlap(OverlapScope(year=2025), Unit.PEOPLE)) == []
    households = overlap(OverlapScope(year=2025), Unit.HOUSEHOLDS)
    assert list(households) == [{"household": father.household_id, "program_count": 2}]
    [row] = overlap_rows(OverlapScope(year=2025), Unit.HOUSEHOLDS, households)
    assert row.people_count == 2
    assert [p.code for p in row.programs] == ["PKH-2025", "WMP-2025"]
    assert row.household.head_name == father.name


def test_most_programs_first_then_by_name(region, programs):
    budi = person_in(region["langadai"])
    budi.name = "BUDI"
    budi.save()
    andi = person_in(region["langadai"])
    andi.name = "ANDI"
    andi.save()
    cici = person_in(region["langadai"])
    for person in (budi, andi, cici):
        enrol(programs["pkh"], person)
        enrol(programs["wmp"], person)
    enrol(programs["sembako"], cici)

    assert ids(overlap(OverlapScope(year=2025), Unit.PEOPLE)) == [cici.pk, andi.pk, budi.pk]


def test_district_and_village_keep_those_enrolled_there(region, programs):
    langadai = person_in(region["langadai"])
    tarjun = person_in(region["tarjun"])
    for person in (langadai, tarjun):
        enrol(programs["pkh"], person)
        enrol(programs["wmp"], person)

    def found(**area):
        return ids(overlap(OverlapScope(year=2025, **area), Unit.PEOPLE))

    assert found(district="63.02.17") == [langadai.pk]
    assert found(district="63.02.06") == [tarjun.pk]
    assert found(village="63.02.17.2003") == [langadai.pk]
    assert found(village="63.02.17.2004") == []


def test_a_pillar_counts_only_its_own_programs(region, programs):
    across = person_in(region["langadai"])
    enrol(programs["pkh"], across)
    enrol(programs["wmp"], across)
    within = person_in(region["langadai"])
    enrol(programs["pkh"], within)
    enrol(programs["sembako"], within)

    bansos = programs["pkh"].pillar_id
    assert ids(overlap(OverlapScope(year=2025, pillar=bansos), Unit.PEOPLE)) == [within.pk]
    [row] = overlap_rows(
        OverlapScope(year=2025, pillar=bansos),
        Unit.PEOPLE,
        overlap(OverlapScope(year=2025, pillar=bansos), Unit.PEOPLE),
    )
    assert {p.code for p in row.programs} == {"PKH-2025", "SEMBAKO-2025"}


def test_an_agency_sees_overlap_touching_a_program_it_leads_or_joins(region, programs):
    social = programs["pkh"].lead_agency
    labour = AgencyFactory(acronym="Disnaker")
    wmp, sembako = programs["wmp"], programs["sembako"]
    wmp.lead_agency = labour
    wmp.save()
    sembako.lead_agency = labour
    sembako.agencies.add(AgencyFactory(acronym="Dinkes"))
    sembako.save()
    theirs = person_in(region["langadai"])
    enrol(programs["pkh"], theirs)
    enrol(wmp, theirs)
    others = person_in(region["langadai"])
    enrol(wmp, others)
    enrol(sembako, others)

    assert ids(overlap(OverlapScope(year=2025, agency=social.pk), Unit.PEOPLE)) == [theirs.pk]
    assert set(ids(overlap(OverlapScope(year=2025, agency=labour.pk), Unit.PEOPLE))) == {
        theirs.pk,
        others.pk,
    }
    joining = sembako.agencies.get().pk
    assert ids(overlap(OverlapScope(year=2025, agency=joining), Unit.PEOPLE)) == [others.pk]


def test_overlap_workbook_masks_nik_unless_full(region, programs):
    person = person_in(region["langadai"])
    person.name = "=HYPERLINK(1)"
    person.save()
    enrol(programs["pkh"], person)
    enrol(programs["wmp"], person)

    def sheet_rows(full):
        stream = io.BytesIO()
        count = write_overlap(OverlapScope(year=2025), Unit.PEOPLE, full=full, stream=stream)
        assert count == 1
        return list(load_workbook(stream).active.values)

    masked = sheet_rows(full=False)
    assert masked[1][0] == mask(person.nik)
    assert masked[1][1] == "'=HYPERLINK(1)"  # neutralised, not a formula
    assert masked[1][2] == mask(person.household.no_kk)
    assert masked[1][3:] == (
        "Langadai",
        "Kelumpang Hilir",
        1,
        "PKH-2025 Program PKH-2025; WMP-2025 Program WMP-2025",
        2,
    )
    full = sheet_rows(full=True)
    assert full[1][0] == person.nik


def test_overlap_workbook_is_cut_with_a_note(region, programs, monkeypatch):
    monkeypatch.setattr("programs.reach.EXPORT_ROWS", 1)
    for _n in range(2):
        person = person_in(region["langadai"])
        enrol(programs["pkh"], person)
        enrol(programs["wmp"], person)
    stream = io.BytesIO()

    assert write_overlap(OverlapScope(year=2025), Unit.HOUSEHOLDS, full=True, stream=stream) == 1
    rows = list(load_workbook(stream).active.values)
    assert len(rows) == 3
    assert rows[2][0] == "…"


# Exclusion -------------------------------------------------------------------------------


@pytest.fixture
def program(region):
    """Desil 1–4, aged 18 or more, in Langadai only."""
    program = ProgramFactory(code="WMP-2025", max_desil=4, min_age=18)
    VillageQuotaFactory(program=program, village=region["langadai"])
    return program


def excluded(program, **kwargs):
    return list(excluded_households(program, on=ON, **kwargs))


def test_exclusion_lists_eligible_households_no_program_reaches(region, program):
    missed = person_in(region["langadai"], desil=2)
    reached = person_in(region["langadai"], desil=2)
    enrol(ProgramFactory(code="OTHER"), reached)  # any program of the year
    member_reached = person_in(region["langadai"], desil=2)
    enrol(program, PersonFactory(household=member_reached.household))
    left = person_in(region["langadai"], desil=2)
    exit_(enrol(program, left))
    reached_last_year = person_in(region["langadai"], desil=2)
    enrol(ProgramFactory(code="LAST", **YEAR_2024), reached_last_year)

    assert excluded(program) == [missed.household, left.household, reached_last_year.household]


def test_exclusion_respects_the_desil_rule(region, program):
    poor = person_in(region["langadai"], desil=4)
    person_in(region["langadai"], desil=5)
    person_in(region["langadai"], desil=None)

    assert excluded(program) == [poor.household]


def test_exclusion_needs_a_member_the_age_rules_admit(region, program):
    adult_child = person_in(region["langadai"], born=datetime.date(2007, 11, 1))  # 18 on ON
    person_in(region["langadai"], born=datetime.date(2007, 11, 2))  # 17
    person_in(region["langadai"], born=None)

    assert excluded(program) == [adult_child.household]
    program.min_age = None
    program.productive_age_only = True
    program.save()
    old = person_in(region["langadai"], born=datetime.date(1950, 1, 1))
    assert old.household not in excluded(program)


def test_exclusion_counts_the_eligible_members(region, program):
    father = person_in(region["langadai"])
    PersonFactory(household=father.household, birth_date=datetime.date(1992, 5, 5))
    PersonFactory(household=father.household, birth_date=datetime.date(2015, 5, 5))

    [household] = with_eligible_members(excluded_households(program, on=ON), program, on=ON)
    assert household.eligible_count == 2
    assert household.member_count == 3
    assert household.head_name == father.name


def test_exclusion_keeps_to_the_target_villages(region, program):
    langadai = person_in(region["langadai"])
    person_in(region["tegal_rejo"])

    assert excluded(program) == [langadai.household]
    assert excluded(program, village="63.02.17.2004") == []


def test_a_program_without_target_villages_covers_the_region(region):
    program = ProgramFactory(code="PBI-2025")
    langadai = person_in(region["langadai"], desil=None)
    tarjun = person_in(region["tarjun"], desil=3)
    person_in(region["outside"])

    assert excluded(program) == [tarjun.household, langadai.household]  # no desil last
    assert excluded(program, district="63.02.17") == [langadai.household]
    assert excluded(program, village="63.02.06.2013") == [tarjun.household]
    per_village = excluded_per_village(program, excluded_households(program, on=ON))
    assert [(v.village.name, v.households) for v in per_village] == [
        ("Langadai", 1),
        ("Tarjun", 1),
    ]


def test_exclusion_is_poorest_first_then_by_no_kk(region, program):
    third = person_in(region["langadai"], desil=3, no_kk="6302170101200001")
    second = person_in(region["langadai"], desil=1, no_kk="6302170101200009")
    first = person_in(region["langadai"], desil=1, no_kk="6302170101200002")

    assert excluded(program) == [first.household, second.household, third.household]


def test_per_village_shows_every_target_village(region, program):
    VillageQuotaFactory(program=program, village=region["tegal_rejo"])
    person_in(region["langadai"])

    per_village = excluded_per_village(program, excluded_households(program, on=ON))
    assert [(v.village.name, v.households) for v in per_village] == [
        ("Langadai", 1),
        ("Tegal Rejo", 0),
    ]


def test_exclusion_workbook(region, program):
    person = person_in(region["langadai"], desil=2)
    stream = io.BytesIO()

    count = write_exclusion(
        program, excluded_households(program, on=ON), on=ON, full=False, stream=stream
    )

    assert count == 1
    rows = list(load_workbook(stream).active.values)
    assert rows[0][0] == "No. KK"
    assert rows[1] == (
        mask(person.household.no_kk),
        person.name,
        "Langadai",
        "Kelumpang Hilir",
        2,
        1,
        1,
    )


def test_exclusion_rules_name_everything_the_exclusion_reads(db):
    from programs.reach import exclusion_rules
    from tests.factories import AreaFactory, ProgramFactory, VillageQuotaFactory

    one, two = ProgramFactory(max_desil=4), ProgramFactory(max_desil=4)
    assert exclusion_rules(one) == exclusion_rules(two)
    VillageQuotaFactory(program=two, village=AreaFactory(code="63.02.17.2003"))
    assert exclusion_rules(one) != exclusion_rules(two)
    three = ProgramFactory(max_desil=4, productive_age_only=True)
    assert exclusion_rules(one) != exclusion_rules(three)
