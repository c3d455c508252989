"""`{% figure %}` shows a chart beside its table: semantics a screen reader needs, the
highlight in words, the note, and the .xlsx download carrying the page's filters."""

from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path

from reports.charts import Chart, ChartKind
from reports.tables import Column, Kind, Row, Table

# A stand-in for the lead's download view, so the tag's link can be reversed.
urlpatterns = [
    path(
        "laporan/",
        include(
            (
                [
                    path(
                        "angka/<slug:slug>.xlsx",
                        lambda request, slug: HttpResponse(),
                        name="figure_download",
                    )
                ],
                "reports",
            )
        ),
    )
]


def poverty_table(**extra) -> Table:
    return Table(
        slug="poverty-rank",
        title="Persentase penduduk miskin 2025",
        columns=(
            Column("Kabupaten/kota", Kind.TEXT),
            Column("P0", Kind.PERCENT, 2),
            Column("Penduduk miskin"),
        ),
        rows=(
            Row(("Kotabaru", Decimal("4.61"), 1010), link="/wilayah/63.02/", highlight=True),
            Row(("Banjar", Decimal("2.74"), 16_250)),
        ),
        note="BPS, Maret 2025",
        extra=extra,
    )


def rendered(source: str, query: str = "", **context) -> str:
    request = RequestFactory().get("/dasbor/" + (f"?{query}" if query else ""))
    return Template("{% load figures %}" + source).render(Context({"request": request, **context}))


@pytest.fixture
def chart():
    return Chart(poverty_table(), ChartKind.HBAR)


@pytest.mark.urls(__name__)
def test_the_chart_and_its_table_are_shown_with_their_semantics(chart):
    html = rendered("{% figure chart level=3 %}", chart=chart)
    assert (
        '<h3 class="h5 card-title" id="figure-poverty-rank">Persentase penduduk miskin 2025</h3>'
        in html
    )
    assert (
        "<svg" in html
        and 'role="img"' in html
        and 'aria-label="Persentase penduduk miskin 2025"' in html
    )
    assert '<caption class="visually-hidden">Persentase penduduk miskin 2025</caption>' in html
    assert '<th scope="col">Kabupaten/kota</th>' in html
    assert '<th scope="col" class="text-end">P0</th>' in html
    assert '<a href="/wilayah/63.02/" class="link-body-emphasis">Kotabaru</a>' in html
    assert '<td class="text-end text-nowrap">4,61 %</td>' in html
    assert '<td class="text-end text-nowrap">1.010</td>' in html
    assert "BPS, Maret 2025" in html


@pytest.mark.urls(__name__)
def test_the_highlighted_row_is_marked_in_words(chart):
    html = rendered("{% figure chart %}", chart=chart)
    assert html.count('data-testid="figure-highlight"') == 1
    assert "wilayah ini" in html or "this region" in html
    html = rendered(
        "{% figure_table table %}", table=poverty_table(highlight_label="laporan terlambat")
    )
    assert "laporan terlambat" in html


@pytest.mark.urls(__name__)
def test_the_download_carries_the_pages_filters(chart):
    html = rendered("{% figure chart %}", query="tahun=2025&wilayah=63.02", chart=chart)
    assert 'href="/laporan/angka/poverty-rank.xlsx?tahun=2025&amp;wilayah=63.02"' in html
    assert "Unduh .xlsx" in html or "Download .xlsx" in html
    # Several figures share the link text; the hidden title tells them apart.
    assert '<span class="visually-hidden">: Persentase penduduk miskin 2025</span>' in html


@pytest.mark.urls(__name__)
def test_a_table_alone_has_no_chart():
    html = rendered("{% figure_table table level=2 %}", table=poverty_table())
    assert "<svg" not in html
    assert "<h2" in html
    assert 'href="/laporan/angka/poverty-rank.xlsx"' in html


@pytest.mark.urls(__name__)
def test_an_empty_table_says_so_in_the_table_too():
    empty = Table("empty", "Kosong", (Column("Wilayah", Kind.TEXT), Column("Jumlah")), ())
    html = rendered("{% figure chart %}", chart=Chart(empty, ChartKind.BAR))
    assert '<td colspan="2"' in html


def test_without_the_download_view_the_figure_still_shows(chart, monkeypatch):
    def reverse(*args, **kwargs):
        raise NoReverseMatch

    monkeypatch.setattr("reports.templatetags.figures.reverse", reverse)
    html = rendered("{% figure chart %}", chart=chart)
    assert 'data-testid="figure-download"' not in html
    assert "<svg" in html
