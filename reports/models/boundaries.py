"""Area boundaries for the maps, simplified for display when imported (`import_boundaries`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Area


class Boundary(models.Model):
    """The outline of one area as a GeoJSON geometry (longitude, latitude; WGS 84).

    Stored already simplified and rounded, so that a map of a district's villages stays a
    few dozen kilobytes; the source file's precision is not kept.
    """

    area = models.OneToOneField(
        Area,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="boundary",
    )
    # {"type": "Polygon" | "MultiPolygon", "coordinates": [...]}
    geometry = models.JSONField(_("geometry"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Attribution shown under the map.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")
        ordering = ["area"]

    def __str__(self) -> str:
        return str(self.area_id)
