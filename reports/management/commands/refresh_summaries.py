from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import SummaryRefresh
from reports.summaries import summaries_refresh_when_requested, summaries_request_mark


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard's summaries of a year now (this year by default). The worker "
        "does it after each change; this is for a first install or after a restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year: int | None, **options) -> None:
        year = year or timezone.localdate().year
        # Through the same claim as the worker: never two rebuilds of a year at once.
        summaries_request_mark(year)
        if not summaries_refresh_when_requested(year):
            self.stdout.write(
                _("A rebuild of %(year)d is running elsewhere; it will count the latest data.")
                % {"year": year}
            )
            return
        state = SummaryRefresh.objects.get(year=year)
        self.stdout.write(
            _("Summaries of %(year)d rebuilt in %(seconds).1f s.")
            % {"year": year, "seconds": state.seconds}
        )
