"""What every chapter shares: tables made printable, and a narrative with its gap shown."""

from dataclasses import replace

from django.utils.functional import Promise

from reports.charts import Chart
from reports.tables import Column, Row, Table
from reports.year_end.content import Block, Chapter, ChartBlock, Narrative, Section, TableBlock


def _plain(value):
    # A lazy translation (a choice's label) is text once printed, and JSON cannot hold it.
    return str(value) if isinstance(value, Promise) else value


def printable(table: Table) -> Table:
    """`table` as a signed document keeps it: no links into today's pages, plain text."""
    return replace(
        table,
        title=str(table.title),
        note=str(table.note),
        columns=tuple(
            Column(str(column.label), column.kind, column.decimals) for column in table.columns
        ),
        rows=tuple(
            Row(
                cells=tuple(_plain(v) for v in row.cells), key=str(row.key), highlight=row.highlight
            )
            for row in table.rows
        ),
    )


def _printable_block(block: Block) -> Block:
    if isinstance(block, TableBlock):
        return TableBlock(printable(block.table))
    if isinstance(block, ChartBlock):
        chart: Chart = block.chart
        title = None if chart.title is None else str(chart.title)
        return ChartBlock(
            replace(chart, table=printable(chart.table), title=title, y_label=str(chart.y_label))
        )
    return Narrative(str(block.text), str(block.missing))


def printable_chapter(chapter: Chapter) -> Chapter:
    return Chapter(
        title=str(chapter.title),
        lead=tuple(_printable_block(b) for b in chapter.lead),
        sections=tuple(
            Section(str(s.title), tuple(_printable_block(b) for b in s.blocks))
            for s in chapter.sections
        ),
    )


def narrowed(table: Table, labels, **changes) -> Table:
    """`table` with only the columns headed `labels`, in that order (found by name, not by
    position); `changes` replace other fields (slug, title, note)."""
    keep = [table.column_index(label) for label in labels]
    return replace(
        table,
        columns=tuple(table.columns[i] for i in keep),
        rows=tuple(replace(row, cells=tuple(row.cells[i] for i in keep)) for row in table.rows),
        **changes,
    )


def gap(missing: str) -> Narrative:
    """A place where the data has nothing to show, saying so."""
    return Narrative("", missing)
