from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import YearEndReport
from reports.year_end.services import document_of, unsaved_report

NOTHING_TO_REPORT = 2


class Command(BaseCommand):
    help = (
        "Write the year-end report of YEAR as DIR/<YEAR>.pdf and DIR/<YEAR>.docx: the signed "
        "figures of a final report, or else today's data. Exits 2 for a year with nothing to "
        "report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--out", type=Path, required=True, help=_("The folder to write to."))

    def handle(self, *args, year: int, out: Path, **options) -> None:
        from reports.year_end.chapters import has_anything
        from reports.year_end.docx import document_docx
        from reports.year_end.pdf import document_pdf

        report = YearEndReport.objects.filter(year=year).first()
        if not (report and report.is_final) and not has_anything(year):
            self.stderr.write(_("There is nothing to report for %(year)d.") % {"year": year})
            raise SystemExit(NOTHING_TO_REPORT)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(dir)s: %(error)s") % {"dir": out, "error": error.strerror}
            ) from error
        document = document_of(report or unsaved_report(year), today=timezone.localdate())
        for extension, render in (("pdf", document_pdf), ("docx", document_docx)):
            path = out / f"{year}.{extension}"
            path.write_bytes(render(document))
            self.stdout.write(_("%(path)s written.") % {"path": path})
