from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Pillars, programs, enrolment and agency action plans (a later issue)."""

    name = "programs"
    verbose_name = _("Programs and action plans")
