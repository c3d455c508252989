"""Read and check a DTSEN file in a child process whose memory and time are bounded.

Uploaded files are hostile until proven otherwise, and no reader can be trusted with
them: one cell at XFD1048576 makes python-calamine try to allocate 512 GiB and abort the
process. So the reading and the row rules run in a child process with a memory limit
(RLIMIT_AS) and a CPU limit; the worker only receives the accepted rows, in batches, and
the problems found, which the child writes to files. Whatever the file does to the child
— a crash, an abort, running out of memory, hanging — the load fails with a message and
the worker goes on with the next task.

The same child reads other tables of people too (a program's list of NIKs): the job
names the columns to look for and the function that makes the checker of its rows.

Children are forked from a small server process (multiprocessing's forkserver) that has
imported Django and the readers once, so starting one takes milliseconds, and none
inherits the worker's threads, database connections or memory.
"""

import csv
import ctypes
import datetime
import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from households.dtsen.columns import DTSEN, Columns
from households.dtsen.problems import Problems, ProblemWriter, RejectedRows
from households.dtsen.reading import DtsenFileError, Source, open_source
from households.dtsen.rules import BatchCheck, drop_controls, dtsen_checker
from households.dtsen.xlsx import XlsxError
from tkpk.translation import Message as _
from tkpk.translation import one_language

# Settings the reader uses: the child reads with the worker's values (tests change them).
READER_SETTINGS = (
    "TKPK_DTSEN_MAX_BYTES",
    "TKPK_XLSX_STREAM_BYTES",
    "TKPK_DTSEN_STORED_PROBLEMS",
    "TKPK_DTSEN_READER_MEMORY_MB",
    "TKPK_DTSEN_READER_CPU_SECONDS",
)
POLL_SECONDS = 1.0
logger = logging.getLogger(__name__)
# Rows per batch sent to the worker, and between two progress reports.
CHUNK_ROWS = 5000


@dataclass(frozen=True)
class Header:
    """What the child found at the top of the file."""

    row: int
    columns: dict[str, int]  # field -> column index
    names: list[str]  # the header cells as written
    ignored: list[str]
    total: int  # rows below the header, for progress

    def column_name(self, field_name: str) -> str:
        return self.names[self.columns[field_name]]


@dataclass(frozen=True)
class Checked:
    """What the child found in the rows, once it has read them all."""

    rows: int
    errors: Problems
    warnings: Problems
    rejected_rows: Path  # each rejected row as it was, for the error report
    peak_memory: int  # the child's largest resident size, in bytes


# Makes the child's checker of batches of rows from the opened file, the worker's answer
# to the header and today's date; a module-level function, so that the job pickles it by
# name.
CheckerFactory = Callable[[Source, object, datetime.date], BatchCheck]


@dataclass(frozen=True)
class Job:
    path: Path
    sheet: str | None
    today: datetime.date
    workdir: Path
    language: str
    settings: dict
    chunk_rows: int
    columns: Columns = DTSEN
    checker: CheckerFactory = dtsen_checker


def check_file(
    *,
    path: Path,
    sheet: str | None,
    today: datetime.date,
    workdir: Path,
    on_header: Callable[[Header], object],
    on_rows: Callable[[list[tuple]], None],
    progress: Callable[[int, int], None],
    columns: Columns = DTSEN,
    checker: CheckerFactory = dtsen_checker,
) -> Checked:
    """Check `path` in a child process; hand over the header, then accepted rows in batches.

    The file holds `columns` (DTSEN's unless told) and its rows are checked by what
    `checker` makes. `on_header` answers with what the checker needs from the worker, for
    DTSEN the village codes the rows may name (asked only once the file is known to be
    readable). Raises DtsenFileError when the file cannot be read — including when the
    child dies or exceeds its limits — and whatever the callbacks raise, after stopping
    the child.
    """
    job = Job(
        path=Path(path),
        sheet=sheet,
        today=today,
        workdir=Path(workdir),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        settings={name: getattr(settings, name) for name in READER_SETTINGS},
        chunk_rows=CHUNK_ROWS,
        columns=columns,
        checker=checker,
    )
    from households.dtsen import reader_server

    ours, theirs = _context().Pipe()
    child = _context().Process(target=reader_server.child_main, args=(theirs, job), daemon=True)
    child.start()
    theirs.close()  # the child holds the other end; EOF here means it is gone
    try:
        for kind, payload in _messages(ours, child):
            if kind == "rows":
                on_rows(payload)
            elif kind == "progress":
                progress(*payload)
            elif kind == "header":
                answer = on_header(payload)
                try:
                    ours.send(answer)
                except OSError:
                    break  # the child is gone
            elif kind == "failed":
                raise DtsenFileError(payload)
            elif kind == "crashed":
                logger.warning("The DTSEN reader failed on %s: %s", path.name, payload)
                break
            else:
                return payload
        raise DtsenFileError(_crash_message(child))
    finally:
        ours.close()
        if child.is_alive():
            child.kill()
        child.join()


def _messages(receiving, child) -> Iterator[tuple[str, object]]:
    """What the child sends, until it is done, fails, dies or stops sending for too long."""
    stall = settings.TKPK_DTSEN_READER_STALL_SECONDS
    last = time.monotonic()
    while True:
        if not receiving.poll(POLL_SECONDS):
            if time.monotonic() - last > stall:
                child.kill()
                raise DtsenFileError(
                    _(
                        "The file could not be read: reading stopped making progress for "
                        "%(minutes)d minutes. Save it again from Excel and upload it again."
                    )
                    % {"minutes": max(1, stall // 60)}
                )
            continue
        try:
            kind, payload = receiving.recv()
        except (EOFError, OSError):
            return  # the child died: the caller says how
        yield kind, payload
        if kind in ("done", "failed", "crashed"):
            return
        last = time.monotonic()  # after the caller's work: only the child's silence counts


def _crash_message(child) -> str:
    child.join(timeout=5)
    logger.debug("The DTSEN reader stopped with exit code %s", child.exitcode)
    limit = filesizeformat(settings.TKPK_DTSEN_READER_MEMORY_MB * 1024 * 1024)
    if child.exitcode in (-signal.SIGTERM, -signal.SIGKILL):
        return _(
            "The file could not be read: its reading was stopped from outside (the worker "
            "restarting, or the machine short of memory). Upload it again."
        )
    if child.exitcode == -signal.SIGXCPU:
        return _(
            "The file could not be read: reading it took more than %(minutes)d minutes of "
            "processor time. Split it (for example by district) and upload the parts."
        ) % {"minutes": settings.TKPK_DTSEN_READER_CPU_SECONDS // 60}
    return _(
        "The file could not be read: the reader stopped (it needed more than %(limit)s of "
        "memory, or the file is damaged). Save it again from Excel (File › Save As › Excel "
        "Workbook) and upload it again."
    ) % {"limit": limit}


_CONTEXT = None


def start_reader_server() -> None:
    """Start the fork server now, so that it imports Django while the caller does other
    work (hashing the file, say): the first reading child then starts at once."""
    _context()
    multiprocessing.forkserver.ensure_running()


def _context():
    """The forkserver that children start from; it imports Django and the readers once."""
    global _CONTEXT
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        # The server is started as `python -c …` and imports only what its sys.path finds:
        # make sure that includes this project, wherever the worker was started from.
        paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if str(settings.BASE_DIR) not in paths:
            os.environ["PYTHONPATH"] = os.pathsep.join(
                [str(settings.BASE_DIR), *filter(None, paths)]
            )
        context.set_forkserver_preload(["households.dtsen.reader_server"])
        _CONTEXT = context
    return _CONTEXT


# ---------------------------------------------------------------------------------------
# In the child.


def child_main(pipe, job: Job) -> None:
    """The child: limits first, then the file (started through reader_server.child_main)."""
    # What a dying reader prints (a Rust backtrace, say) may quote the file: it goes to
    # the load's own folder, deleted with it, never to the worker's log.
    with open(job.workdir / "reader-stderr.txt", "wb") as stderr:
        os.dup2(stderr.fileno(), 2)
    # Stopping the worker's service stops the worker, which lets its task finish; the
    # reading goes on with it. If the fork server dies (its worker gone), so does this.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    for name, value in job.settings.items():
        setattr(settings, name, value)
    memory = settings.TKPK_DTSEN_READER_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = settings.TKPK_DTSEN_READER_CPU_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # The rows make millions of short-lived objects and few cycles: collecting after every
    # 700 new objects, through everything imported too, cost a third of the checking.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        with translation.override(job.language), one_language(job.language):
            try:
                result = _read_and_check(job, pipe)
            except DtsenFileError as error:
                pipe.send(("failed", error.args[0]))
            except MemoryError:
                pipe.send(("failed", _memory_message()))
            else:
                pipe.send(("done", result))
    except (BrokenPipeError, EOFError):
        pass  # the worker stopped listening: a cancelled load
    except BaseException as error:
        traceback.print_exc(file=sys.stderr)
        with suppress(OSError):
            pipe.send(("crashed", type(error).__qualname__))  # the kind only: no values
        raise
    finally:
        pipe.close()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def _memory_message() -> str:
    return _(
        "The file could not be read: it needs more than %(limit)s of memory (a cell far "
        "outside the data, or a damaged file). Save it again from Excel and upload it again."
    ) % {"limit": filesizeformat(settings.TKPK_DTSEN_READER_MEMORY_MB * 1024 * 1024)}


def _read_and_check(job: Job, pipe) -> Checked:
    with open_source(job.path, sheet=job.sheet, columns=job.columns) as source:
        header = Header(
            row=source.header_row,
            columns=source.columns,
            names=source.names,
            ignored=source.ignored,
            total=source.total,
        )
        pipe.send(("header", header))
        check = job.checker(source, pipe.recv(), job.today)
        keep = settings.TKPK_DTSEN_STORED_PROBLEMS
        errors = ProblemWriter(job.workdir / "errors.jsonl.gz", keep=keep)
        warnings = ProblemWriter(job.workdir / "warnings.jsonl.gz", keep=keep)
        with RejectedRows.writer(job.workdir / "rejected.pickle.gz") as rejected:
            rows = _check_rows(
                source,
                check,
                chunk_rows=job.chunk_rows,
                send=pipe.send,
                errors=errors,
                warnings=warnings,
                rejected=rejected,
            )
        if rows == 0:
            raise DtsenFileError(
                _("The file has a header (row %(row)d) but no rows of data below it.")
                % {"row": source.header_row}
            )
        return Checked(
            rows=rows,
            errors=errors.close(),
            warnings=warnings.close(),
            rejected_rows=rejected.path,
            peak_memory=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        )


def _check_rows(
    source: Source,
    check: BatchCheck,
    *,
    chunk_rows: int,
    send: Callable[[tuple], None],
    errors: ProblemWriter,
    warnings: ProblemWriter,
    rejected: RejectedRows,
) -> int:
    """Check every row, sending accepted ones in batches; the number of rows with data."""
    numbers: list[int] = []
    batch: list[list] = []
    rows = seen = 0
    number = source.header_row

    def check_batch() -> None:
        checked = check(numbers, batch)
        for row, cells, row_errors in checked.rejected:
            errors.extend(row_errors)
            rejected.add(row, cells, row_errors)
        warnings.extend(checked.warnings)
        if checked.accepted:
            send(("rows", checked.accepted))
        numbers.clear()
        batch.clear()

    try:
        for number, cells in source.rows:
            seen += 1
            if seen % chunk_rows == 0:  # also for a file whose rows are all rejected
                send(("progress", (seen, max(seen, source.total))))
            if is_blank(cells):
                continue
            rows += 1
            numbers.append(number)
            batch.append(cells)
            if len(batch) >= chunk_rows:
                check_batch()
    except XlsxError as error:
        raise DtsenFileError(
            _("The workbook cannot be read after row %(row)d (%(error)s). Save it again in Excel.")
            % {"row": number, "error": error.args[0]}
        ) from error
    except csv.Error as error:
        raise DtsenFileError(
            _("The line after row %(row)d cannot be read as CSV (%(error)s); check its quotes.")
            % {"row": number, "error": error}
        ) from error
    if batch:
        check_batch()
    return rows


def is_blank(cells: list) -> bool:
    """Every cell empty, blank or a control character (a DOS end-of-file mark, say)."""
    first = cells[0] if cells else None
    if type(first) is str and first.isprintable() and first.strip():
        return False  # most rows: a NIK in the first cell
    try:
        text = "".join(cells).strip()
    except TypeError:  # a spreadsheet row with numbers or dates in it
        return not any(
            drop_controls(c).strip() if isinstance(c, str) else c is not None for c in cells
        )
    return not text or not drop_controls(text).strip()
