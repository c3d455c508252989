from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TkpkConfig(AppConfig):
    name = "tkpk"
    verbose_name = _("Users and agencies")
