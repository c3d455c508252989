"""How pledged and delivered quantities read on a page: "Rp 1.500.000", "12 orang", "2,5 ton"."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from partners.models import Partner, quantity_written
from partners.selectors import may_open_partner

register = template.Library()
register.filter("quantity", quantity_written)


@register.simple_tag(takes_context=True)
def partner_link(context, partner: Partner) -> str:
    """The partner's name, a link to its page for a user who may open it (a partner
    operator opens only its own: a co-signer's name stays text, not a link to a 404)."""
    user = context["request"].user
    if not may_open_partner(user, partner.pk):
        return format_html("{}", partner.name)
    url = reverse("partners:partner_detail", kwargs={"pk": partner.pk})
    return format_html('<a href="{}">{}</a>', url, partner.name)
