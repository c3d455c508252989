"""The numbers behind every dashboard figure, as a table: one definition per figure.

A chart is drawn from its table (reports/charts.py), the page shows the same table beside
it for screen readers and copying, and its `.xlsx` download writes it again: one set of
numbers, three forms. Cells hold plain values (int, Decimal, float, str, None); how a
value is written is decided by its column's kind, the Indonesian way under the `id`
locale (1.010; 5,83 %).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


class Kind:
    """How a column's values are written."""

    TEXT = "text"
    COUNT = "count"  # 1.010
    PERCENT = "percent"  # 5,83 % (the value is already in percent)
    RUPIAH = "rupiah"  # Rp 1.250.000
    DECIMAL = "decimal"  # 0,35


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = Kind.COUNT
    decimals: int = 0  # for PERCENT and DECIMAL

    @property
    def numeric(self) -> bool:
        return self.kind != Kind.TEXT


@dataclass(frozen=True)
class Row:
    """One row. `link` is where its first cell leads (a drill-down); `key` names what the row
    is about for a map (an area code); `highlight` marks it (the region itself, a late report)."""

    cells: tuple
    link: str = ""
    key: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table. `slug` names it in download URLs; `note` says where the numbers come
    from or by which rule they are counted, under the table and in the download."""

    slug: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def column_values(self, index: int) -> list:
        return [row.cells[index] for row in self.rows]

    def column_index(self, label: str) -> int:
        """The position of the one column headed `label`: a chart or a chapter picks a column
        by its name, so reordering the table cannot silently swap the figure it shows."""
        labels = [str(column.label) for column in self.columns]
        if labels.count(str(label)) != 1:
            raise KeyError(f"{self.slug} has {labels.count(str(label))} columns named {label!r}")
        return labels.index(str(label))

    def fingerprint(self) -> str:
        """Everything a drawing depends on, as text: a cache key part that changes with the data."""
        return repr((self.slug, self.title, self.columns, self.rows, self.note))


def written(value, column: Column) -> str:
    """`value` as the page shows it; "—" for a missing value."""
    if value is None or value == "":
        return "—"
    if column.kind == Kind.TEXT:
        return str(value)
    places = column.decimals if column.kind in (Kind.PERCENT, Kind.DECIMAL) else 0
    # Rounded half up, as people round: number_format alone cuts 94,97 % to 94 %.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = number_format(rounded, decimal_pos=places, force_grouping=True)
    if column.kind == Kind.RUPIAH:
        return f"Rp {text}"
    return f"{text} %" if column.kind == Kind.PERCENT else text
