"""The whole document (reports/year_end/chapters/document.py): its cover's facts, its
chapters in the issue's order, a JSON round trip, no personal data, and a number of
queries that does not grow with the agencies, programs and partners."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household, Person
from programs.models import BudgetLine, Pillar
from reports.models import AwardCategory, ReportStatus, SummaryRefresh, YearEndReport
from reports.summaries import summaries_refresh
from reports.tables import written
from reports.year_end.chapters import document_compute, has_anything
from reports.year_end.content import ChartBlock, Document, TableBlock
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    AgencyFactory,
    PillarFactory,
    PledgeFactory,
    ProgramFactory,
    ProgressFactory,
    QuarterReportFactory,
    RealisationFactory,
)
from tests.reports.year_end.conftest import TODAY, YEAR, tables
from tkpk.models import Role


def test_the_cover_names_the_region_its_province_and_when_the_figures_were_counted(
    full_year, year_end, settings
):
    settings.TKPK_SIGNATORY_NAME = "H. Syairi Mukhlis"
    settings.TKPK_SIGNATORY_TITLE = "Wakil Bupati Kotabaru"
    document = document_compute(year_end, today=TODAY)
    assert document.title == _("Regional poverty-reduction implementation report")
    assert (document.year, document.region, document.province) == (
        YEAR,
        "Kabupaten Kotabaru",
        "Kalimantan Selatan",
    )
    assert document.status == ReportStatus.DRAFT
    finished = SummaryRefresh.objects.get(year=YEAR).finished_at.replace(microsecond=0)
    assert datetime.datetime.fromisoformat(document.figures_as_of) == finished
    assert document.figures_as_of.endswith("+08:00")  # WITA
    assert datetime.datetime.fromisoformat(document.generated_at) >= finished
    assert (document.signatory_name, document.signatory_title) == (
        "H. Syairi Mukhlis",
        "Wakil Bupati Kotabaru",
    )
    assert (document.finalised_by, document.finalised_at) == ("", "")
    assert document.foreword.text == "Puji syukur."


def test_the_chapters_in_the_issues_order_and_the_village_appendix(full_year, year_end):
    document = document_compute(year_end, today=TODAY)
    assert [chapter.title for chapter in document.chapters] == [
        _("Introduction"),
        _("Poverty conditions and trends"),
        _("Strategy and programs per pillar"),
        _("Implementation per agency"),
        _("Partner contributions"),
        _("Coordination, problems and recommendations"),
    ]
    assert [a.title for a in document.appendices] == [_("Figures per village")]


def test_who_finalised_it_and_when(full_year, year_end, users):
    by = users[Role.SECRETARIAT]
    by.name = "Sekretaris TKPK"
    by.save()
    year_end.finalised_by = by
    year_end.finalised_at = timezone.make_aware(datetime.datetime(2026, 12, 20, 9, 30))
    document = document_compute(year_end, today=TODAY)
    assert document.finalised_by == "Sekretaris TKPK"
    assert document.finalised_at == "2026-12-20T09:30:00+08:00"
    by.name = ""
    assert document_compute(year_end, today=TODAY).finalised_by == by.username


def test_without_summaries_the_figures_have_no_date(db, year_end):
    assert document_compute(year_end, today=TODAY).figures_as_of == ""


def test_the_document_survives_its_json_unchanged(full_year, year_end):
    document = document_compute(year_end, today=TODAY)
    stored = json.loads(json.dumps(document.to_json()))  # as YearEndReport.frozen keeps it
    assert Document.from_json(stored) == document


def test_no_table_links_into_todays_pages_and_every_slug_is_unique(full_year, year_end):
    document = document_compute(year_end, today=TODAY)
    blocks = [
        block
        for chapter in (*document.chapters, *document.appendices)
        for s in chapter.sections
        for block in s.blocks
        if isinstance(block, TableBlock | ChartBlock)
    ]
    found = [b.table if isinstance(b, TableBlock) else b.chart.table for b in blocks]
    assert len({table.slug for table in found}) == len(found)
    assert all(row.link == "" for table in found for row in table.rows)
    assert all(table.note for table in found)  # each says where its numbers come from


def test_no_personal_data_anywhere(full_year, year_end):
    text = json.dumps(document_compute(year_end, today=TODAY).to_json())
    people = list(Person.objects.values_list("nik", "name"))
    assert people
    for nik, name in people:
        assert nik not in text
        assert name not in text
    for no_kk, address in Household.objects.values_list("no_kk", "address"):
        assert no_kk not in text
        assert address not in text


def test_a_year_with_nothing_has_nothing_to_report(full_year):
    assert has_anything(YEAR)
    assert not has_anything(2030)


@pytest.mark.parametrize("kind", ["program", "plan", "pledge"])
def test_one_thing_is_enough_to_report(db, kind):
    if kind == "program":
        ProgramFactory(start_date=datetime.date(2030, 1, 1), end_date=datetime.date(2030, 6, 30))
    elif kind == "plan":
        ActionPlanFactory(year=2030)
    else:
        PledgeFactory(
            commitment__start_date=datetime.date(2030, 1, 1),
            commitment__signed_on=datetime.date(2030, 1, 1),
            commitment__end_date=datetime.date(2030, 12, 31),
        )
    assert has_anything(2030)
    assert not has_anything(2031)


def test_statistics_or_a_register_summary_are_enough_to_report(statistics, register):
    assert has_anything(2022)  # statistics only
    assert not has_anything(2031)
    summaries_refresh(2031, today=TODAY)
    assert has_anything(2031)  # the register's summary


# --- the number of queries ------------------------------------------------------------------


def _agency_with_a_plan(n: int) -> None:
    plan = ActionPlanFactory(
        agency=AgencyFactory(acronym=f"OPD-{n}"),
        status="verified",
        verified_version={"activities": []},
    )
    report = QuarterReportFactory(plan=plan, quarter=1, status="submitted")
    for _n in range(3):
        ProgressFactory(report=report, activity=ActivityFactory(plan=plan, agreed=True))


def _program(n: int, pillar_order: int):
    program = ProgramFactory(code=f"Q-{n}", pillar=PillarFactory(order=pillar_order))
    BudgetLine.objects.create(program=program, source="apbd", amount=10_000_000)
    return program


def _partner(program) -> None:
    """A partner pledging on `program`: a candidate for its pillar's award."""
    pledge = PledgeFactory(
        commitment__program=program,
        commitment__start_date=datetime.date(2026, 1, 1),
        commitment__signed_on=datetime.date(2026, 1, 1),
        commitment__end_date=datetime.date(2026, 12, 31),
    )
    RealisationFactory(pledge=pledge, status="verified")


def _queries(report: YearEndReport) -> int:
    summaries_refresh(YEAR, today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        document_compute(report, today=TODAY)
    return len(queries)


def test_the_queries_do_not_grow_with_agencies_programs_and_partners(full_year, year_end):
    # The awards rank the agencies and partners of each pillar: they must not grow either.
    for pillar in Pillar.objects.all():
        AwardCategory.objects.create(year=YEAR, pillar=pillar, name=pillar.name, order=pillar.order)
    for n in range(2):
        _agency_with_a_plan(n)
        _partner(_program(n, pillar_order=n + 1))
    few = _queries(year_end)
    for n in range(2, 6):
        _agency_with_a_plan(n)
        _partner(_program(n, pillar_order=n % 4 + 1))
    many = _queries(year_end)
    assert many == few
    assert few < 100


def test_the_document_is_in_the_sites_language_whoever_asks(full_year, year_end):
    from django.utils import translation

    with translation.override("en"):
        document = document_compute(year_end, today=TODAY)
    table = tables(*document.chapters)["kemiskinan-indikator"]
    assert table.columns[0].label == "Tahun"
    assert table.rows[-1].cells[1] == Decimal("4.20")
    assert written(table.rows[-1].cells[1], table.columns[1]) == "4,20 %"
