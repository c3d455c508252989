from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from households.areas import AreaCodeError
from households.services import RegionFileError, areas_import, read_region_file


class Command(BaseCommand):
    help = (
        "Import the official area list (CSV with columns kode,nama), creating and renaming areas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV file with the columns kode,nama")
        parser.add_argument(
            "--within",
            metavar="CODE",
            help="Only this area, what lies below it and its ancestors (e.g. 63.02).",
        )

    def handle(self, *args, path: Path, within: str | None, **options) -> None:
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            areas = read_region_file(path, within=within)
            result = areas_import(areas=areas)
        except AreaCodeError as error:
            raise CommandError(_("--within: %(error)s") % {"error": error}) from error
        except RegionFileError as error:
            raise CommandError(
                _("%(path)s, %(error)s Nothing was changed.") % {"path": path, "error": error}
            ) from error
        self.stdout.write(
            "{:<16} {:>8} {:>8} {:>8}".format(
                _("Level"), _("created"), _("renamed"), _("unchanged")
            )
        )
        for label, created, renamed, unchanged in result.rows():
            self.stdout.write(f"{label!s:<16} {created:>14} {renamed:>14} {unchanged:>14}")
