"""How pledged and delivered quantities read on a page: "Rp 1.500.000", "12 orang", "2,5 ton"."""

from django import template

from partners.models import quantity_written

register = template.Library()
register.filter("quantity", quantity_written)
