from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics, dashboard, year-end document and awards (a later issue)."""

    name = "reports"
    verbose_name = _("Reports")
