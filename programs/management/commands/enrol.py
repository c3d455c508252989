from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from households.dtsen.problems import write_first
from programs.enrollment_files import EnrollmentFileError, program_enroll_file
from programs.models import Program
from tkpk.models import Role, User

FILE_FAILURE = 2


class Command(BaseCommand):
    help = (
        "Enrol the people of a file of NIKs (.xlsx, or CSV separated by , ; | or tab) into a "
        "program: every valid row or none. Exit status 0 when the file was read, 2 when it "
        "could not be."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", help="The program's code, e.g. KTB-WMP-2025.")
        parser.add_argument("path", type=Path, help="The spreadsheet or CSV with a column NIK.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; enrol nobody."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the result as one JSON object."
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="Who the enrolments are recorded as (default: the first active administrator).",
        )

    def handle(self, *args, program: str, path: Path, dry_run: bool, json: bool, by, **options):
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path}, returncode=2)
        found = Program.objects.filter(code=program).first()
        if found is None:
            raise CommandError(
                _("%(code)s: no such program.") % {"code": program}, returncode=FILE_FAILURE
            )
        user = self._user(by)
        try:
            report = program_enroll_file(program=found, path=path, by=user, dry_run=dry_run)
        except EnrollmentFileError as error:
            raise CommandError(
                _("%(file)s: %(error)s Nobody was enrolled.") % {"file": path.name, "error": error},
                returncode=FILE_FAILURE,
            ) from error
        except PermissionDenied as error:
            raise CommandError(
                _("%(user)s may not enrol participants in %(code)s.")
                % {"user": user.username, "code": found.code},
                returncode=FILE_FAILURE,
            ) from error
        try:
            if json:
                report.write_json(lambda text: self.stdout.write(text, ending=""))
            else:
                self._summary(report)
        finally:
            report.workdir.cleanup()

    def _user(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(
                    _("%(user)s: no such active user.") % {"user": username},
                    returncode=FILE_FAILURE,
                )
            return user
        user = users.filter(role=Role.ADMIN).order_by("pk").first()
        if user is None:
            raise CommandError(
                _("No active administrator to record the enrolments as: name a user with --by."),
                returncode=FILE_FAILURE,
            )
        return user

    def _summary(self, report) -> None:
        write = self.stdout.write
        header = report.header.row if report.header else 0
        if report.dry_run:
            counted = _(
                "%(rows)d rows read (header in row %(header)d): %(enrolled)d to be enrolled, "
                "%(already)d already participants, %(rejected)d refused."
            )
        else:
            counted = _(
                "%(rows)d rows read (header in row %(header)d): %(enrolled)d enrolled, "
                "%(already)d already participants, %(rejected)d refused."
            )
        write(
            counted
            % {
                "rows": report.rows,
                "header": header,
                "enrolled": report.enrolled,
                "already": report.already_enrolled,
                "rejected": report.rejected,
            }
        )
        write_first(write, errors=report.errors, warnings=report.warnings)
        if report.dry_run:
            write(_("Dry run: nobody was enrolled."))
