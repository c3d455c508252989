from django import template

from households.identity import mask

register = template.Library()


@register.filter
def id_number(number: str, full: bool) -> str:
    """A NIK or No. KK in full when `full` is exactly True, masked otherwise.

    Views set `full` from tkpk.permissions.sees_personal_data; a template that forgets to
    pass it gets the mask, not the number.
    """
    return number if full is True else mask(number)
