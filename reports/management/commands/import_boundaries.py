from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from households.areas import AreaCodeError
from reports.boundaries import BoundaryFileError, BoundaryImport, boundaries_import

SHOWN = 20  # unknown codes and bad features listed; the rest are counted


class Command(BaseCommand):
    help = (
        "Import area boundaries from a GeoJSON FeatureCollection whose features carry the "
        "area code in properties.kode, simplified for the maps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="GeoJSON FeatureCollection file")
        parser.add_argument(
            "--within",
            metavar="CODE",
            help="Only this area and what lies below it (e.g. 63.02).",
        )
        parser.add_argument(
            "--source",
            metavar="TEXT",
            default="",
            help="Attribution shown under the maps (e.g. 'cahyadsn/wilayah_boundaries (MIT)').",
        )

    def handle(self, *args, path: Path, within: str | None, source: str, **options) -> None:
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            result = boundaries_import(path, within=within, source=source)
        except AreaCodeError as error:
            raise CommandError(_("--within: %(error)s") % {"error": error}) from error
        except BoundaryFileError as error:
            raise CommandError(
                _("%(path)s: %(error)s Nothing was changed.") % {"path": path, "error": error}
            ) from error
        self.stdout.write(summary(result, within))
        if result.unknown:
            self.stdout.write(
                _("Codes not in the area list (not imported): %(codes)s")
                % {"codes": listed(result.unknown)}
            )
        for bad in result.bad[:SHOWN]:
            where = (
                _("Feature %(number)d (%(code)s)") % {"number": bad.number, "code": bad.code}
                if bad.code
                else _("Feature %(number)d") % {"number": bad.number}
            )
            self.stdout.write(f"{where}: {bad.reason}")
        if len(result.bad) > SHOWN:
            self.stdout.write(_("… and %(count)d more.") % {"count": len(result.bad) - SHOWN})
        if not result.changed:
            self.stdout.write(_("Nothing was changed."))


def summary(result: BoundaryImport, within: str | None) -> str:
    text = _(
        "Boundaries: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
        "%(unknown)d unknown codes, %(bad)d features rejected."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "unknown": len(result.unknown),
        "bad": len(result.bad),
    }
    if within:
        text += " " + _("%(skipped)d outside %(within)s.") % {
            "skipped": result.skipped,
            "within": within,
        }
    return text


def listed(codes: list[str]) -> str:
    text = ", ".join(codes[:SHOWN])
    if len(codes) > SHOWN:
        text += " " + _("… and %(count)d more.") % {"count": len(codes) - SHOWN}
    return text
