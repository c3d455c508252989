"""What a load found wrong, and where: kept on disk, not in memory, and shown in any language.

A file of twenty million bad rows has sixty million problems. Each kind (errors, warnings)
is written to a compressed file as it is found, counted, and only the first few are kept
in memory for the page and the stored report; the command's JSON and the error report
read them all back from the file. Messages are `tkpk.translation.Message`s, so the page
can show the first ones in the reader's language.
"""

import gzip
import heapq
import itertools
import json
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext

from tkpk.translation import Message

# A worksheet holds 1,048,576 rows; keep one for the header and one for a closing note.
SHEET_ROWS = 1_048_574

# What was wrong, where: (file row, header as written or None for the row, message).
Problem = tuple[int, str | None, str]


def problem_as_json(problem: Problem) -> dict:
    """A problem for the stored report: the `import_dtsen --json` shape, re-translatable."""
    row, column, message = problem
    stored = {"row": row, "column": column, "message": str(message)}
    if isinstance(message, Message):
        stored["i18n"] = message.as_json()
    return stored


def write_json(
    write: Callable[[str], object], counts: dict, *, errors: "Problems", warnings: "Problems"
) -> None:
    """`counts` and every problem as one JSON object, streamed: each problem is read back
    from its file, so a file with millions of problems is never held in memory."""
    write(json.dumps(counts, ensure_ascii=False)[:-1])  # without its closing brace
    for key, problems in (("errors", errors), ("warnings", warnings)):
        write(f', "{key}": [')
        for position, (row, column, message) in enumerate(problems):
            item = {"row": row, "column": column, "message": message}
            write((", " if position else "") + json.dumps(item, ensure_ascii=False))
        write("]")
    write("}\n")


# Problems of each kind a command prints; `--json` and the error report have them all.
PRINTED = 50


def write_first(
    write: Callable[[str], object], *, errors: "Problems", warnings: "Problems"
) -> None:
    """The first problems of each kind, one a line, for a command's plain output."""
    for title, problems in ((gettext("Errors"), errors), (gettext("Warnings"), warnings)):
        if not problems:
            continue
        write(f"{title} ({len(problems)}):")
        for row, column, message in problems.first[:PRINTED]:
            where = gettext("row %(row)d") % {"row": row}
            write(f"  {where}, {column}: {message}" if column else f"  {where}: {message}")
        if len(problems) > PRINTED:
            write(gettext("  … and %(more)d more.") % {"more": len(problems) - PRINTED})


@dataclass
class Problems:
    """The problems of one kind, in row order: a count, the first few, and files of all."""

    count: int = 0
    first: list[Problem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    keep: int = 0  # how many `first` holds at most

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[Problem]:
        return heapq.merge(*(_read(path) for path in self.paths), key=_row)

    def __add__(self, other: "Problems") -> "Problems":
        """Both, in row order; on the same row, this one's problems come first."""
        keep = max(self.keep, other.keep)
        first = list(itertools.islice(heapq.merge(self.first, other.first, key=_row), keep))
        return Problems(self.count + other.count, first, [*self.paths, *other.paths], keep)


def _row(problem: Problem) -> int:
    return problem[0]


# A problem is a line "row<TAB>column<TAB>message"; control characters in the column or the
# message (a tab in a cell quoted by a message) become spaces. An empty column is None.
_SPACES_FOR_CONTROLS = dict.fromkeys([*range(32), 127], " ")


def _line_part(text: str) -> str:
    return text if text.isprintable() else text.translate(_SPACES_FOR_CONTROLS)


def _read(path: Path) -> Iterator[Problem]:
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
        for line in lines:
            row, column, message = line[:-1].split("\t", 2)
            yield int(row), column or None, message


class ProblemWriter:
    """Writes problems, in row order, to `path`; keeps the first `keep` of them in memory."""

    def __init__(self, path: Path, *, keep: int) -> None:
        self.path = Path(path)
        self.keep = keep
        self.problems = Problems(paths=[self.path], keep=keep)
        # Level 1: most problems repeat their words, so even the fastest level shrinks
        # them tenfold.
        self._file = gzip.open(  # noqa: SIM115
            self.path, "wt", encoding="utf-8", newline="\n", compresslevel=1
        )

    def add(self, problem: Problem) -> None:
        problems = self.problems
        if problems.count < self.keep:
            problems.first.append(problem)
        problems.count += 1
        row, column, message = problem
        self._file.write(f"{row}\t{_line_part(column or '')}\t{_line_part(message)}\n")

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def close(self) -> Problems:
        self._file.close()
        return self.problems


class RejectedRows:
    """The rejected rows exactly as they were, with their problems, for the error report.

    Kept in a compressed file as they are found, a thousand rows to a pickle; only as
    many as a worksheet holds.
    """

    BATCH = 1000

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.count = 0
        self._file = None
        self._batch: list = []

    @classmethod
    def writer(cls, path: Path) -> "RejectedRows":
        rows = cls(path)
        rows._file = gzip.open(rows.path, "wb", compresslevel=1)  # noqa: SIM115
        return rows

    def __enter__(self) -> "RejectedRows":
        return self

    def __exit__(self, *exc) -> None:
        self._flush()
        self._file.close()

    def add(self, row: int, cells: list, problems: list[Problem]) -> None:
        if self.count < SHEET_ROWS:
            reasons = [(column, str(message)) for _row, column, message in problems]
            self._batch.append((row, cells, reasons))
            if len(self._batch) >= self.BATCH:
                self._flush()
        self.count += 1

    def _flush(self) -> None:
        if self._batch:
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    @staticmethod
    def read(path: Path) -> Iterator[tuple[int, list, list[tuple[str | None, str]]]]:
        """(row, cells, [(column, message)]) of each rejected row kept, in file order."""
        with gzip.open(path, "rb") as stream:
            while True:
                try:
                    batch = pickle.load(stream)  # noqa: S301 - written by our own reader child
                except EOFError:
                    return
                yield from batch
