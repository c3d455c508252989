from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partners (CSR, BUMN, BUMD, BUMDes, Baznas) and their commitments (a later issue)."""

    name = "partners"
    verbose_name = _("Partners")
