from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tkpk.demo import DEMO_PASSWORD, DEMO_REGION, demo_load


class Command(BaseCommand):
    help = "Load the demo (Kabupaten Kotabaru, its agencies and one user per role). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off (it creates users with a known password).",
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "The demo creates users with a known password; refusing with DEBUG off. "
                    "Use --force on a test installation."
                )
            )
        users = demo_load()
        if settings.TKPK_REGION_CODE != DEMO_REGION:
            self.stderr.write(
                _("Note: the demo region is %(demo)s but TKPK_REGION_CODE is %(region)s.")
                % {"demo": DEMO_REGION, "region": settings.TKPK_REGION_CODE}
            )
        self.stdout.write(_("Demo loaded. Sign in with:"))
        for user in users:
            works_for = user.agency or user.partner
            where = f" ({works_for})" if works_for else ""
            self.stdout.write(
                f"  {user.username:<18} {DEMO_PASSWORD}   {user.get_role_display()}{where}"
            )
