from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from households.dtsen.problems import write_first
from households.dtsen.reading import DtsenFileError
from households.dtsen.services import RegisterBusy, current_period, dtsen_load_command

FILE_FAILURE = 2


class Command(BaseCommand):
    help = (
        "Load a DTSEN file (.xlsx, or CSV separated by , ; | or tab) into the register. "
        "Exit status 0 when the file was read, 2 when it could not be."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The DTSEN spreadsheet or CSV export.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument("--sheet", help="The sheet to read (default: the first).")
        parser.add_argument(
            "--period", help="The DTSEN period, e.g. 2025-Q3 (default: the current quarter)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the result as one JSON object."
        )

    def handle(self, *args, path: Path, dry_run: bool, sheet, period, json: bool, **options):
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path}, returncode=2)
        try:
            report, _snapshot = dtsen_load_command(
                path=path, period=period or current_period(), sheet=sheet, dry_run=dry_run
            )
        except (DtsenFileError, RegisterBusy) as error:
            raise CommandError(
                _("%(file)s: %(error)s Nothing was changed.") % {"file": path.name, "error": error},
                returncode=FILE_FAILURE,
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=FILE_FAILURE) from error
        if json:
            report.write_json(lambda text: self.stdout.write(text, ending=""))
            return
        self._summary(report, dry_run=dry_run)

    def _summary(self, report, *, dry_run: bool) -> None:
        write = self.stdout.write
        write(
            _(
                "%(rows)d rows read (header in row %(header)d): %(accepted)d accepted, "
                "%(rejected)d rejected."
            )
            % {
                "rows": report.rows,
                "header": report.header_row,
                "accepted": report.accepted,
                "rejected": report.rejected,
            }
        )
        for label, counts in (
            (_("People"), report.people),
            (_("Households"), report.households),
            (_("Desil records of the period"), report.desil_records),
        ):
            write(
                _("%(label)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {"label": label, **counts.as_dict()}
            )
        if report.ignored_columns:
            write(_("Columns ignored: %(names)s") % {"names": ", ".join(report.ignored_columns)})
        write_first(write, errors=report.errors, warnings=report.warnings)
        if dry_run:
            write(_("Dry run: nothing was written."))
