from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Poverty statistics, maps, the leaders' dashboard and its summaries."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from tkpk.signals import figures_changed

        def refresh(sender, years=None, **kwargs) -> None:
            # Imported when figures change, not when Django starts: the summaries bring
            # openpyxl and numpy, which every process (a DTSEN reader too) would load.
            from reports.summaries import summaries_refresh_request

            summaries_refresh_request(years)

        figures_changed.connect(refresh, weak=False, dispatch_uid="reports.summaries")
