"""The people a DTSEN load adds or changes, as the page lists them and the workbook holds them."""

from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from households.dtsen.problems import SHEET_ROWS
from households.models import Area, PersonChange, Relationship, Sex
from tkpk.spreadsheets import neutralise, sheet_start


def village_names(codes) -> dict[str, str]:
    """{code: "Name (code)"} for the village codes given."""
    return {
        code: f"{name} ({code})"
        for code, name in Area.objects.filter(code__in=set(codes)).values_list("code", "name")
    }


def shown_value(field: str, value, villages: dict[str, str]):
    """A stored value as a person reads it: labels for codes, names for villages."""
    if value is None or value == "":
        return ""
    if field == "sex":
        return str(Sex(value).label)
    if field == "relationship":
        return str(Relationship(value).label)
    if field == "village":
        return villages.get(value, value)
    return value


def page_rows(changes: list[PersonChange]) -> list[dict]:
    """What the change list shows for each change of one page."""
    villages = village_names(
        code for change in changes for code in (change.village, change.old_village) if code
    )
    rows = []
    for change in changes:
        if change.kind == PersonChange.Kind.ADDED:
            details = [
                (label, None, _displayed(name, getattr(change, name), villages))
                for label, name in PersonChange.SHOWN[1:]
                if getattr(change, name) not in (None, "")
            ]
        else:
            details = [
                (
                    label,
                    _displayed(name, old, villages) or "—",
                    _displayed(name, new, villages) or "—",
                )
                for label, name, old, new in change.differences()
            ]
        rows.append({"change": change, "details": details})
    return rows


def _displayed(field: str, value, villages: dict[str, str]) -> str:
    value = shown_value(field, value, villages)
    if field == "birth_date" and value:
        return date_format(value, "j M Y")
    return str(value)


def write_changes(changes: QuerySet, stream: BinaryIO) -> int:
    """Every change as one row, before and after side by side; the number of rows."""
    workbook = Workbook(write_only=True)
    header = [_("Row"), _("Kind"), _("NIK")]
    for label, _name in PersonChange.SHOWN:
        header += [
            _("%(field)s before") % {"field": label},
            _("%(field)s after") % {"field": label},
        ]
    widths = [8, 12, 20, *[22] * (len(header) - 3)]
    sheet = sheet_start(workbook, _("Changes"), list(zip(header, widths, strict=True)))
    villages = village_names(Area.objects.villages().values_list("code", flat=True))
    kinds = dict(PersonChange.Kind.choices)
    count = 0
    for change in changes.iterator(chunk_size=2000):
        if count == SHEET_ROWS:
            sheet.append(["…", _("More changes than a worksheet holds; filter by kind.")])
            break
        row = [change.row, str(kinds[change.kind]), change.nik]
        changed = change.kind == PersonChange.Kind.CHANGED
        for _label, name in PersonChange.SHOWN:
            old = getattr(change, f"old_{name}") if changed else None
            row += [
                neutralise(shown_value(name, old, villages)),
                neutralise(shown_value(name, getattr(change, name), villages)),
            ]
        sheet.append(row)
        count += 1
    workbook.save(stream)
    return count
