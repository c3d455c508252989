"""Writes to the area hierarchy, and register exports (DTSEN loads: households/dtsen)."""

import csv
import io
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from households.areas import AreaCodeError, area_level, is_within, parent_code
from households.models import Area, AreaLevel, ExportStatus, Person, RegisterExport

BATCH_SIZE = 5000


class RegionFileError(Exception):
    """The region file cannot be imported; nothing was written."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(
            _("line %(line)d: %(message)s") % {"line": line, "message": message}
            if line
            else message
        )


@dataclass
class RegionImportResult:
    created: Counter = field(default_factory=Counter)
    renamed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def rows(self) -> list[tuple[str, int, int, int]]:
        return [
            (
                AreaLevel(level).label,
                self.created[level],
                self.renamed[level],
                self.unchanged[level],
            )
            for level in AreaLevel.values
        ]


def read_region_file(path: Path, *, within: str | None = None) -> dict[str, tuple[int, str, int]]:
    """Read a `kode,nama` CSV into {code: (level, name, line)}, checking every line first.

    With `within`, only that area, what lies below it and its ancestors are kept.
    """
    if within is not None:
        area_level(within)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegionFileError(
            _("the file is not UTF-8 text."), line=raw[: error.start].count(b"\n") + 1
        ) from error
    areas: dict[str, tuple[int, str, int]] = {}
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header] != ["kode", "nama"]:
            raise RegionFileError(_("the first line must be the header kode,nama."), line=1)
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != 2:
                raise RegionFileError(
                    _("expected 2 columns (kode,nama), found %(count)d.") % {"count": len(record)},
                    line=line,
                )
            code, name = record[0].strip(), " ".join(record[1].split())
            try:
                level = area_level(code)
            except AreaCodeError as error:
                raise RegionFileError(str(error), line=line) from error
            if not name:
                raise RegionFileError(
                    _("the area %(code)s has no name.") % {"code": code}, line=line
                )
            if len(name) > Area._meta.get_field("name").max_length:
                raise RegionFileError(
                    _("the name of %(code)s is too long.") % {"code": code}, line=line
                )
            if code in seen:
                raise RegionFileError(
                    _("the code %(code)s appears again (first on line %(first)d).")
                    % {"code": code, "first": seen[code]},
                    line=line,
                )
            seen[code] = line
            if within is None or is_within(code, within) or is_within(within, code):
                areas[code] = (level, name, line)
    except csv.Error as error:
        raise RegionFileError(str(error), line=reader.line_num) from error
    if within is not None and within not in areas:
        raise RegionFileError(_("the area %(code)s is not in the file.") % {"code": within})
    return areas


@transaction.atomic
def areas_import(*, areas: dict[str, tuple[int, str, int]]) -> RegionImportResult:
    """Create new areas and rename changed ones, all or nothing."""
    existing = dict(Area.objects.values_list("code", "name"))
    for code, (_level, _name, line) in areas.items():
        parent = parent_code(code)
        if parent is not None and parent not in areas and parent not in existing:
            raise RegionFileError(
                _("the parent area %(parent)s of %(code)s is in neither the file nor the database.")
                % {"parent": parent, "code": code},
                line=line,
            )
    result = RegionImportResult()
    to_write: dict[int, list[Area]] = {level: [] for level in AreaLevel.values}
    for code, (level, name, _line) in sorted(areas.items()):
        if code not in existing:
            result.created[level] += 1
        elif existing[code] != name:
            result.renamed[level] += 1
        else:
            result.unchanged[level] += 1
            continue
        to_write[level].append(Area(code=code, name=name, level=level, parent_id=parent_code(code)))
    # Level by level, so every area's parent is written before it.
    for level in AreaLevel.values:
        Area.objects.bulk_create(
            to_write[level],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name"],
        )
    return result


# People per round of the export: the progress bar moves, memory stays bounded.
EXPORT_CHUNK = 5000
# An export that has not reported progress for this long lost its worker.
EXPORT_STALE_AFTER = timedelta(minutes=15)


def register_export_start(*, user, filters: dict, file_format: str) -> RegisterExport:
    """Queue the export of the filtered households' people; the worker builds the file."""
    from households.tasks import build_register_export_task

    export = RegisterExport.objects.create(
        user=user, filters=filters, file_format=file_format, heartbeat_at=timezone.now()
    )
    transaction.on_commit(lambda: build_register_export_task.enqueue(export.pk))
    return export


def release_stale_exports() -> int:
    """Mark exports whose worker stopped reporting as failed, so no page waits forever."""
    return RegisterExport.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        heartbeat_at__lt=timezone.now() - EXPORT_STALE_AFTER,
    ).update(status=ExportStatus.FAILED, finished_at=timezone.now())


class _ExportFile:
    """Rows written straight to a temporary file, as .xlsx (streamed) or .csv."""

    def __init__(self, stream, file_format: str, header: list[str]) -> None:
        self.file_format = file_format
        self.stream = stream
        if file_format == "xlsx":
            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet("DTSEN")
            self.sheet.append(header)
        else:
            # With a byte-order mark Excel reads the file as UTF-8.
            self.text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")
            self.writer = csv.writer(self.text)
            self.writer.writerow(header)

    def write(self, rows) -> None:
        for row in rows:
            (self.sheet.append if self.file_format == "xlsx" else self.writer.writerow)(row)

    def finish(self) -> None:
        if self.file_format == "xlsx":
            self.workbook.save(self.stream)
        else:
            self.text.flush()
            self.text.detach()  # the stream stays open for the caller
        self.stream.seek(0)


def register_export_build(*, export_id: int) -> None:
    """Build the file of a queued export chunk by chunk, reporting progress as it goes."""
    from households.resources import PersonExportResource
    from households.selectors import households_filtered, people_of

    if not RegisterExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    ):
        return
    export = RegisterExport.objects.get(pk=export_id)
    updates = RegisterExport.objects.filter(pk=export_id)
    try:
        people = people_of(households_filtered(**export.filters))
        ordering = people.query.order_by
        ids = list(people.values_list("pk", flat=True))
        updates.update(rows_total=len(ids))
        resource = PersonExportResource()
        headers = resource.export(Person.objects.none()).headers
        written = 0
        with tempfile.TemporaryFile() as stream:
            output = _ExportFile(stream, export.file_format, headers)
            for start in range(0, len(ids), EXPORT_CHUNK):
                chunk = (
                    Person.objects.filter(pk__in=ids[start : start + EXPORT_CHUNK])
                    .select_related("household__village__parent")
                    .order_by(*ordering)
                )
                part = resource.export(chunk)
                output.write(part)
                written += part.height
                updates.update(rows_done=written, heartbeat_at=timezone.now())
            output.finish()
            name = f"register-{timezone.localdate():%Y-%m-%d}-{export.pk}.{export.file_format}"
            export.file.save(name, File(stream), save=False)
    except Exception:
        updates.update(status=ExportStatus.FAILED, finished_at=timezone.now())
        raise
    # What the file holds: people removed by a load meanwhile are not in it.
    updates.update(
        status=ExportStatus.DONE,
        file=export.file.name,
        rows_total=written,
        finished_at=timezone.now(),
    )
