"""Problems kept on disk (households/dtsen/problems.py): all of them, in row order, intact."""

import datetime

from households.dtsen.problems import SHEET_ROWS, ProblemWriter, RejectedRows


def test_problems_are_counted_the_first_kept_and_all_read_back(tmp_path):
    writer = ProblemWriter(tmp_path / "p.gz", keep=2)
    for row in range(1, 6):
        writer.add((row, "NIK", f"salah {row}"))
    problems = writer.close()

    assert (problems.count, problems.first) == (5, [(1, "NIK", "salah 1"), (2, "NIK", "salah 2")])
    assert list(problems) == [(row, "NIK", f"salah {row}") for row in range(1, 6)]


def test_a_problem_quoting_tabs_and_line_breaks_stays_one_problem(tmp_path):
    writer = ProblemWriter(tmp_path / "p.gz", keep=0)
    writer.add((7, "Nama\tLengkap", "'A\tB\nC' is odd"))
    writer.add((8, None, "the row is shifted"))

    assert list(writer.close()) == [
        (7, "Nama Lengkap", "'A B C' is odd"),
        (8, None, "the row is shifted"),
    ]


def test_two_kinds_merge_in_row_order_the_first_kind_first_on_a_row(tmp_path):
    rows = ProblemWriter(tmp_path / "a.gz", keep=3)
    for problem in ((2, "SHDK", "a"), (5, "SHDK", "b")):
        rows.add(problem)
    households = ProblemWriter(tmp_path / "b.gz", keep=3)
    for problem in ((1, "Desil", "c"), (5, "Desil", "d"), (9, "Desil", "e")):
        households.add(problem)

    merged = rows.close() + households.close()

    expected = [(1, "Desil", "c"), (2, "SHDK", "a"), (5, "SHDK", "b"), (5, "Desil", "d")]
    assert list(merged) == [*expected, (9, "Desil", "e")]
    assert (merged.count, merged.first) == (5, expected[:3])


def test_rejected_rows_come_back_as_they_were_up_to_a_worksheet(tmp_path, monkeypatch):
    monkeypatch.setattr("households.dtsen.problems.SHEET_ROWS", 3)
    born = datetime.date(1990, 1, 1)
    with RejectedRows.writer(tmp_path / "r.gz") as rejected:
        for row in range(2, 7):
            rejected.add(row, ["123", 6302.0, born, None], [(row, "NIK", "too short")])

    back = list(RejectedRows.read(tmp_path / "r.gz"))
    assert rejected.count == 5 and len(back) == 3
    assert back[0] == (2, ["123", 6302.0, born, None], [("NIK", "too short")])
    assert SHEET_ROWS > 1_000_000
