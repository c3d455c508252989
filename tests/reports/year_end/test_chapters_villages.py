"""The appendix (reports/year_end/chapters/villages.py) against the hand-built year."""

from django.utils.translation import gettext as _

from reports.dashboard import areas_table, place_of
from reports.year_end.chapters.villages import villages_appendix
from reports.year_end.content import Narrative
from tests.reports.year_end.conftest import YEAR, seen, tables


def test_one_table_of_villages_per_district(full_year):
    appendix = villages_appendix(YEAR)
    assert [s.title for s in appendix.sections] == ["Kelumpang Hilir", "Pulau Laut Utara"]
    found = tables(appendix)
    # households, people, in desil 1–4, their share, participants, reached, poor reached by
    # no program, moved up, measured (whose household has a later load: moved up's base)
    assert seen(found["desa-63.02.17"]) == [
        ["Langadai", "4", "5", "2", "50,00 %", "1", "1", "1", "0", "1"],
        ["Bakau", "2", "2", "2", "100,00 %", "1", "1", "1", "1", "1"],
    ]
    assert seen(found["desa-63.02.18"]) == [
        ["Sebelimbingan", "1", "1", "1", "100,00 %", "0", "0", "1", "0", "0"],
        ["Sarang Tiung", "1", "1", "1", "100,00 %", "0", "0", "1", "0", "0"],
    ]
    assert [c.label for c in found["desa-63.02.17"].columns[-2:]] == [
        _("Households that moved up a desil"),
        _("Households measured"),
    ]


def test_the_appendix_prints_the_dashboards_district_table(full_year):
    """The same columns and numbers as the district's dashboard page, whatever it adds."""
    for code in ("63.02.17", "63.02.18"):
        dashboard = areas_table(place_of(code), YEAR)
        appendix = tables(villages_appendix(YEAR))[f"desa-{code}"]
        assert appendix.columns == dashboard.columns
        assert [row.cells for row in appendix.rows] == [row.cells for row in dashboard.rows]
        assert appendix.note == dashboard.note


def test_a_village_without_a_summary_shows_zeros(full_year):
    from tests.factories import AreaFactory

    AreaFactory(code="63.02.18.2009", name="Desa Baru")
    rows = seen(tables(villages_appendix(YEAR))["desa-63.02.18"])
    assert rows[-1] == ["Desa Baru", "0", "0", "0", "—", "0", "0", "0", "0", "0"]


def test_before_any_summary_the_appendix_says_so(programs):
    (only,) = villages_appendix(YEAR).sections
    (block,) = only.blocks
    assert isinstance(block, Narrative) and str(YEAR) in block.missing
