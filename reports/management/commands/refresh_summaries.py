from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.summaries import summaries_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's summaries of a year now (this year by default). The worker "
        "does it after each change; this is for a first install or after a restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year: int | None, **options) -> None:
        year = year or timezone.localdate().year
        state = summaries_refresh(year)
        self.stdout.write(
            _("Summaries of %(year)d rebuilt in %(seconds).1f s.")
            % {"year": year, "seconds": state.seconds}
        )
