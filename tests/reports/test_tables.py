"""How a dashboard table writes its values (reports/tables.py)."""

from decimal import Decimal

import pytest
from django.utils import translation

from reports.tables import Column, Kind, Row, Table, written


@pytest.mark.parametrize(
    ("value", "column", "shown"),
    [
        (Decimal("94.97"), Column("", Kind.PERCENT, 0), "95 %"),
        (Decimal("94.49"), Column("", Kind.PERCENT, 0), "94 %"),
        (Decimal("5.825"), Column("", Kind.PERCENT, 2), "5,83 %"),
        (1010, Column("", Kind.COUNT), "1.010"),
        (Decimal("1250000.5"), Column("", Kind.RUPIAH), "Rp 1.250.001"),
        (Decimal("0.3549"), Column("", Kind.DECIMAL, 3), "0,355"),
        (None, Column("", Kind.COUNT), "—"),
        ("Kotabaru", Column("", Kind.TEXT), "Kotabaru"),
    ],
)
def test_values_are_rounded_half_up_and_written_the_indonesian_way(value, column, shown):
    with translation.override("id"):
        assert written(value, column) == shown


def test_a_column_is_found_by_its_label_whatever_its_position():
    columns = (Column("Desa", Kind.TEXT), Column("Rumah tangga"), Column("Bagian", Kind.PERCENT))
    table = Table("t", "T", columns, (Row(cells=("Bakau", 2, 50)),))
    reordered = Table("t", "T", (columns[0], columns[2], columns[1]), ())

    assert table.column_index("Bagian") == 2
    assert reordered.column_index("Bagian") == 1


@pytest.mark.parametrize("columns", [(Column("Desa"),), (Column("Bagian"), Column("Bagian"))])
def test_a_label_missing_or_repeated_is_refused_rather_than_guessed(columns):
    with pytest.raises(KeyError, match="Bagian"):
        Table("t", "T", columns, ()).column_index("Bagian")
