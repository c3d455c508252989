"""The appendix (reports/year_end/chapters/villages.py) against the hand-built year."""

from reports.year_end.chapters.villages import villages_appendix
from reports.year_end.content import Narrative
from tests.reports.year_end.conftest import YEAR, seen, tables


def test_one_table_of_villages_per_district(full_year):
    appendix = villages_appendix(YEAR)
    assert [s.title for s in appendix.sections] == ["Kelumpang Hilir", "Pulau Laut Utara"]
    found = tables(appendix)
    # households, people, in desil 1–4, their share, participants, reached, poor reached by
    # no program, moved up
    assert seen(found["desa-63.02.17"]) == [
        ["Langadai", "4", "5", "2", "50,00 %", "1", "1", "1", "0"],
        ["Bakau", "2", "2", "2", "100,00 %", "1", "1", "1", "1"],
    ]
    assert seen(found["desa-63.02.18"]) == [
        ["Sebelimbingan", "1", "1", "1", "100,00 %", "0", "0", "1", "0"],
        ["Sarang Tiung", "1", "1", "1", "100,00 %", "0", "0", "1", "0"],
    ]


def test_a_village_without_a_summary_shows_zeros(full_year):
    from tests.factories import AreaFactory

    AreaFactory(code="63.02.18.2009", name="Desa Baru")
    rows = seen(tables(villages_appendix(YEAR))["desa-63.02.18"])
    assert rows[-1] == ["Desa Baru", "0", "0", "0", "—", "0", "0", "0", "0"]


def test_before_any_summary_the_appendix_says_so(programs):
    (only,) = villages_appendix(YEAR).sections
    (block,) = only.blocks
    assert isinstance(block, Narrative) and str(YEAR) in block.missing
