"""The navigation menu: each role sees exactly the pages its role may open.

An entry's visibility is read from the `allowed_roles` its view declares, so the menu
and the permission layer cannot disagree.
"""

from dataclasses import dataclass

from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from tkpk.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    description: str
    active: bool


MENU = [
    (_("Home"), "home", ""),
    (
        _("Dashboard"),
        "reports:dashboard",
        _("Poverty, the register on a map, programs, partners and agencies at a glance."),
    ),
    (
        _("Statistics"),
        "reports:statistic_list",
        _("Poverty figures published by BPS for the region, its province and its neighbours."),
    ),
    (_("Areas"), "households:area_list", _("Districts and villages of the region.")),
    (_("Register"), "households:household_list", _("Households and people from DTSEN.")),
    (
        _("Programs"),
        "programs:program_list",
        _("Poverty-reduction programs, their participants, quotas and outcomes."),
    ),
    (
        _("Partners"),
        "partners:partner_list",
        _("Companies, BUMN, BUMD, BUMDes and Baznas: what they pledged and what arrived."),
    ),
    (
        _("Action plans"),
        "programs:plan_list",
        _("Each agency's yearly action plan and its quarterly progress."),
    ),
    (
        _("Year-end report"),
        "reports:year_end_list",
        _("The year's evaluation document, written here and printed as PDF and Word."),
    ),
    (
        _("Awards"),
        "reports:award_index",
        _("Awards per strategy pillar: the published method, the rankings and certificates."),
    ),
    (_("DTSEN loads"), "households:dtsen_list", _("Upload DTSEN files and see every load.")),
    (_("Agencies"), "agency_list", _("The regional agencies and their operators.")),
    (_("Users"), "user_list", _("Accounts, roles and agencies of the people who sign in.")),
]


def _allowed(url_name: str, user, **kwargs) -> bool:
    view = resolve(reverse(url_name, kwargs=kwargs)).func
    return user.role in getattr(view, "allowed_roles", frozenset())


def menu_for(user, current_path: str) -> list[MenuItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = [(label, reverse(name), text) for label, name, text in MENU if _allowed(name, user)]
    if user.role == Role.AGENCY and user.agency_id:
        url = reverse("agency_detail", kwargs={"pk": user.agency_id})
        entries.append((_("My agency"), url, _("Your agency and its operators.")))
    if user.role == Role.PARTNER and user.partner_id:
        url = reverse("partners:partner_detail", kwargs={"pk": user.partner_id})
        entries.append(
            (_("My partner"), url, _("Your organisation's profile, commitments and realisations."))
        )
    if user.is_staff:
        entries.append(
            (
                _("Administration"),
                reverse("admin:index"),
                _("Every record, reference data and users."),
            )
        )
    home = reverse("home")
    return [
        MenuItem(
            str(label),
            url,
            str(text),
            current_path == url if url == home else current_path.startswith(url),
        )
        for label, url, text in entries
    ]
