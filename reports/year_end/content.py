"""What the year-end document says, apart from how it is printed.

The chapters are computed from the data into a `Document` (reports/year_end/chapters/);
the PDF and the .docx are both written from it (pdf.py, docx.py), so they cannot differ.
A final report stores its Document as JSON (`YearEndReport.frozen`) and is printed again
from that, never from the data of the day.
"""

from dataclasses import dataclass
from decimal import Decimal

from reports.charts import Chart, ChartKind
from reports.tables import Column, Row, Table

# Bump when the JSON shape changes in a way from_json must know about.
CONTENT_VERSION = 1


@dataclass(frozen=True)
class Narrative:
    """Text the secretariat wrote (simple formatting: reports/year_end/text.py).

    `missing` is what the document prints when the text is empty, so a gap is visible."""

    text: str
    missing: str = ""


@dataclass(frozen=True)
class ChartBlock:
    """A chart (or map) drawn from its table; the table is printed with it."""

    chart: Chart


@dataclass(frozen=True)
class TableBlock:
    """A table printed on its own, without a chart."""

    table: Table


Block = Narrative | ChartBlock | TableBlock


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Chapter:
    """A numbered chapter (or, among `Document.appendices`, a lettered appendix)."""

    title: str
    sections: tuple[Section, ...]
    lead: tuple[Block, ...] = ()  # printed under the chapter title, before its sections


@dataclass(frozen=True)
class Document:
    year: int
    title: str  # "Laporan Pelaksanaan Penanggulangan Kemiskinan Daerah"
    region: str  # "Kabupaten Banjar"
    province: str  # "Kalimantan Selatan"
    status: str  # ReportStatus value
    generated_at: str  # ISO 8601, when the content was computed
    figures_as_of: str  # ISO 8601, when the summaries the figures come from were rebuilt
    foreword: Narrative
    chapters: tuple[Chapter, ...]
    appendices: tuple[Chapter, ...] = ()
    finalised_by: str = ""
    finalised_at: str = ""  # ISO 8601
    signatory_name: str = ""
    signatory_title: str = ""

    def to_json(self) -> dict:
        return {"version": CONTENT_VERSION, "document": _encode(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        if data.get("version") != CONTENT_VERSION:
            # A signed document is never read in a shape it was not written in: a change of
            # shape brings a data migration of the stored reports with it.
            raise ValueError(
                f"A signed document of content version {data.get('version')!r} cannot be read "
                f"by this version ({CONTENT_VERSION})."
            )
        return _decode_document(data["document"])


# --- JSON: plain dicts and lists; a Decimal is kept exact as {"decimal": "5.83"} ---------


def _value(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _unvalue(value):
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(value["decimal"])
    return value


def _table(table: Table) -> dict:
    return {
        "slug": table.slug,
        "title": table.title,
        "columns": [[c.label, c.kind, c.decimals] for c in table.columns],
        "rows": [
            {
                "cells": [_value(v) for v in row.cells],
                "key": row.key,
                "highlight": row.highlight,
            }
            for row in table.rows
        ],
        "note": table.note,
    }


def _untable(data: dict) -> Table:
    return Table(
        slug=data["slug"],
        title=data["title"],
        columns=tuple(Column(label, kind, decimals) for label, kind, decimals in data["columns"]),
        # Links lead into today's pages: a signed document keeps no links.
        rows=tuple(
            Row(
                cells=tuple(_unvalue(v) for v in row["cells"]),
                key=row["key"],
                highlight=row["highlight"],
            )
            for row in data["rows"]
        ),
        note=data["note"],
    )


def _block(block: Block) -> dict:
    if isinstance(block, Narrative):
        return {"narrative": block.text, "missing": block.missing}
    if isinstance(block, TableBlock):
        return {"table": _table(block.table)}
    chart = block.chart
    return {
        "figure": {
            "table": _table(chart.table),
            "kind": str(chart.kind),
            "x": chart.x,
            "series": list(chart.series),
            "title": chart.title,
            "y_label": chart.y_label,
            "highlight": chart.highlight,
        }
    }


def _unblock(data: dict) -> Block:
    if "narrative" in data:
        return Narrative(data["narrative"], data.get("missing", ""))
    if "table" in data:
        return TableBlock(_untable(data["table"]))
    figure = data["figure"]
    return ChartBlock(
        Chart(
            table=_untable(figure["table"]),
            kind=ChartKind(figure["kind"]),
            x=figure["x"],
            series=tuple(figure["series"]),
            title=figure["title"],
            y_label=figure["y_label"],
            highlight=figure["highlight"],
        )
    )


def _chapter(chapter: Chapter) -> dict:
    return {
        "title": chapter.title,
        "lead": [_block(b) for b in chapter.lead],
        "sections": [
            {"title": s.title, "blocks": [_block(b) for b in s.blocks]} for s in chapter.sections
        ],
    }


def _unchapter(data: dict) -> Chapter:
    return Chapter(
        title=data["title"],
        lead=tuple(_unblock(b) for b in data["lead"]),
        sections=tuple(
            Section(s["title"], tuple(_unblock(b) for b in s["blocks"])) for s in data["sections"]
        ),
    )


_SCALARS = (
    "year",
    "title",
    "region",
    "province",
    "status",
    "generated_at",
    "figures_as_of",
    "finalised_by",
    "finalised_at",
    "signatory_name",
    "signatory_title",
)


def _encode(document: Document) -> dict:
    data = {name: getattr(document, name) for name in _SCALARS}
    data["foreword"] = _block(document.foreword)
    data["chapters"] = [_chapter(c) for c in document.chapters]
    data["appendices"] = [_chapter(c) for c in document.appendices]
    return data


def _decode_document(data: dict) -> Document:
    return Document(
        **{name: data[name] for name in _SCALARS},
        foreword=_unblock(data["foreword"]),
        chapters=tuple(_unchapter(c) for c in data["chapters"]),
        appendices=tuple(_unchapter(c) for c in data["appendices"]),
    )
