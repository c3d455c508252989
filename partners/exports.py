"""Partners, and their pledges and realisations, as spreadsheets built in the request (a
region has tens of partners and hundreds of pledges, not millions).

Quantities keep their unit beside them: rupiah is never added to people or tonnes.
"""

import datetime
import io
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from households.models import AreaLevel
from partners.models import RUPIAH, Partner, Realisation
from partners.selectors import pledges_in_year, rupiah_total, tallies_by, with_realised
from tkpk.spreadsheets import neutralise, sheet_start, workbook_bytes

RUPIAH_FORMAT = '"Rp" #,##0'
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0%"
# Column widths in characters.
NAME, TEXT, LONG, SHORT, NUMBER, DATE = 36, 22, 40, 10, 18, 12


def write_partners(partners: QuerySet, year: int) -> tuple[io.BytesIO, int]:
    """(the .xlsx, the number of partners in it): each partner's profile and what it pledged
    in rupiah in `year` on the first sheet, what it pledged and delivered in `year` per kind
    and unit on the second; `year`'s pledges are those of the commitments running in it."""
    partners = list(
        partners.select_related("area__parent")
        .annotate(commitment_count=Count("commitments", distinct=True))
        .order_by("name")
    )
    by_partner = tallies_by(
        pledges_in_year(year).filter(partner__in=[p.pk for p in partners]), "partner"
    )
    workbook = Workbook(write_only=True)
    _profile_sheet(workbook, partners, by_partner, year)
    _tally_sheet(workbook, partners, by_partner, year)
    return workbook_bytes(workbook), len(partners)


def _profile_sheet(
    workbook: Workbook, partners: list[Partner], by_partner: dict, year: int
) -> None:
    sheet = sheet_start(
        workbook,
        _("Partners"),
        [
            (_("Name"), NAME),
            (_("Partner type"), TEXT),
            (_("Sector"), TEXT),
            (_("Contact person"), TEXT),
            (_("Phone"), SHORT + 4),
            (_("E-mail"), TEXT),
            (_("Address"), LONG),
            (_("District"), TEXT),
            (_("Village"), TEXT),
            (_("Active"), SHORT),
            (_("CSR forum member"), SHORT),
            (_("Commitments, all years"), SHORT),
            # Money, and business capital or goods valued in rupiah: everything in rupiah.
            (_("Pledged in %(year)s, in rupiah") % {"year": year}, NUMBER),
            (_("Verified, in rupiah"), NUMBER),
            (_("Reported, in rupiah"), NUMBER),
        ],
    )
    for partner in partners:
        rupiah = rupiah_total(by_partner.get(partner.pk, []))
        district, village = _district_and_village(partner)
        _append(
            sheet,
            [
                partner.name,
                partner.get_kind_display(),
                partner.sector,
                partner.contact_person,
                partner.phone,
                partner.email,
                partner.address,
                district,
                village,
                _yes_no(partner.is_active),
                _yes_no(partner.in_csr_forum),
                partner.commitment_count,
                *(
                    _number(sheet, v, rupiah.unit)
                    for v in (rupiah.pledged, rupiah.verified, rupiah.reported)
                ),
            ],
        )


def _tally_sheet(workbook: Workbook, partners: list[Partner], by_partner: dict, year: int) -> None:
    sheet = sheet_start(
        workbook,
        _("Pledged and realised"),
        [
            (_("Partner"), NAME),
            (_("Partner type"), TEXT),
            (_("Pledge kind"), TEXT),
            (_("Unit"), SHORT),
            (_("Pledged in %(year)s") % {"year": year}, NUMBER),
            (_("Verified"), NUMBER),
            (_("Reported"), NUMBER),
            (_("Verified (%)"), SHORT),
        ],
    )
    for partner in partners:
        for tally in by_partner.get(partner.pk, []):
            _append(
                sheet,
                [
                    partner.name,
                    partner.get_kind_display(),
                    tally.label,
                    tally.unit,
                    *(
                        _number(sheet, v, tally.unit)
                        for v in (tally.pledged, tally.verified, tally.reported)
                    ),
                    _percent(sheet, tally.verified_percent),
                ],
            )


def write_pledges(pledges: QuerySet) -> tuple[io.BytesIO, int]:
    """(the .xlsx, the rows in it): one row per pledge, then one per realisation of them.

    Participants who received a realisation are counted, never named: this file leaves the
    application without the register's personal data."""
    workbook = Workbook(write_only=True)
    rows = _pledge_sheet(workbook, pledges) + _realisation_sheet(workbook, pledges)
    return workbook_bytes(workbook), rows


def _pledge_sheet(workbook: Workbook, pledges: QuerySet) -> int:
    sheet = sheet_start(
        workbook,
        _("Pledges"),
        [
            (_("Commitment"), NAME),
            (_("Signed on"), DATE),
            (_("Period from"), DATE),
            (_("Period to"), DATE),
            (_("Program"), SHORT + 4),
            (_("Partner"), NAME),
            (_("Partner type"), TEXT),
            (_("Pledge kind"), TEXT),
            (_("Quantity"), NUMBER),
            (_("Unit"), SHORT),
            (_("Description"), LONG),
            (_("Village"), TEXT),
            (_("Verified"), NUMBER),
            (_("Reported"), NUMBER),
        ],
    )
    rows = 0
    lines = with_realised(
        pledges.select_related("commitment__program", "partner", "village")
    ).order_by("commitment__signed_on", "commitment", "partner__name", "pk")
    for pledge in lines:
        commitment = pledge.commitment
        _append(
            sheet,
            [
                commitment.title,
                commitment.signed_on,
                commitment.start_date,
                commitment.end_date,
                commitment.program.code if commitment.program else "",
                pledge.partner.name,
                pledge.partner.get_kind_display(),
                pledge.get_kind_display(),
                _number(sheet, pledge.quantity, pledge.unit),
                pledge.unit,
                pledge.description,
                pledge.village.name if pledge.village else "",
                _number(sheet, pledge.verified, pledge.unit),
                _number(sheet, pledge.reported, pledge.unit),
            ],
        )
        rows += 1
    return rows


def _realisation_sheet(workbook: Workbook, pledges: QuerySet) -> int:
    sheet = sheet_start(
        workbook,
        _("Realisations"),
        [
            (_("Delivered on"), DATE),
            (_("Partner"), NAME),
            (_("Commitment"), NAME),
            (_("Pledge"), LONG),
            (_("Quantity"), NUMBER),
            (_("Unit"), SHORT),
            (_("Status"), TEXT),
            (_("Participants named"), SHORT),
            (_("Verified or returned by"), TEXT),
            (_("Reviewed at"), TEXT),
            (_("Note"), LONG),
            (_("Verifier's comment"), LONG),
        ],
    )
    realisations = (
        Realisation.objects.filter(pledge__in=pledges.values("pk"))
        .select_related("pledge__partner", "pledge__commitment", "reviewed_by")
        .annotate(participant_count=Count("participants"))
        .order_by("delivered_on", "pk")
    )
    rows = 0
    for realisation in realisations:
        pledge = realisation.pledge
        _append(
            sheet,
            [
                realisation.delivered_on,
                pledge.partner.name,
                pledge.commitment.title,
                _pledge_label(pledge),
                _number(sheet, realisation.quantity, pledge.unit),
                pledge.unit,
                realisation.get_status_display(),
                realisation.participant_count,
                realisation.reviewed_by.get_full_name() if realisation.reviewed_by else "",
                _local(realisation.reviewed_at),
                realisation.note,
                realisation.review_comment,
            ],
        )
        rows += 1
    return rows


def _pledge_label(pledge) -> str:
    label = pledge.get_kind_display()
    return f"{label}: {pledge.description}" if pledge.description else label


def _district_and_village(partner: Partner) -> tuple[str, str]:
    area = partner.area
    if area is None:
        return "", ""
    if area.level == AreaLevel.VILLAGE:
        return area.parent.name, area.name
    return area.name, ""


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _percent(sheet, value: int | None) -> Cell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value / 100)
    cell.number_format = PERCENT_FORMAT
    return cell


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # A worksheet holds no time zone: the time as the region reads it.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _number(sheet, value: Decimal, unit: str) -> Cell:
    """A quantity as a number the spreadsheet can add, shown as rupiah when it is money."""
    cell = WriteOnlyCell(sheet, value=value)
    if unit == RUPIAH:
        cell.number_format = RUPIAH_FORMAT
    elif value == value.to_integral_value():
        cell.number_format = WHOLE_FORMAT
    else:
        cell.number_format = DECIMAL_FORMAT
    return cell


def _append(sheet, values: list) -> None:
    sheet.append([value if isinstance(value, Cell) else _cell(value) for value in values])


def _cell(value: object) -> object:
    # A label such as a kind's is translated lazily; a worksheet takes only the text.
    return neutralise(str(value) if isinstance(value, Promise) else value)
