from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from households.areas import CODE_LENGTHS, AreaCodeError, area_level, parent_code


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("District")
    VILLAGE = 4, _("Village/urban village")


class AreaQuerySet(models.QuerySet):
    def within(self, code: str) -> "AreaQuerySet":
        """The area `code` and everything below it."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "."))

    def districts(self) -> "AreaQuerySet":
        return self.filter(level=AreaLevel.DISTRICT)

    def villages(self) -> "AreaQuerySet":
        return self.filter(level=AreaLevel.VILLAGE)


class Area(models.Model):
    """A province, regency/city, district or village, keyed by its Kepmendagri code."""

    code = models.CharField(_("Kepmendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=150)
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    bps_code = models.CharField(
        _("BPS code"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The statistics office's code for the same place, when known."),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="area_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(Exact(Length("code"), CODE_LENGTHS[1]), level=1, parent__isnull=True)
                    | models.Q(
                        Exact(Length("code"), CODE_LENGTHS[2]), level=2, parent__isnull=False
                    )
                    | models.Q(
                        Exact(Length("code"), CODE_LENGTHS[3]), level=3, parent__isnull=False
                    )
                    | models.Q(
                        Exact(Length("code"), CODE_LENGTHS[4]), level=4, parent__isnull=False
                    )
                ),
                name="area_level_matches_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kind(self) -> str:
        """Kabupaten or kota, desa or kelurahan, as the code's number range says."""
        if self.level == AreaLevel.REGENCY:
            return _("City") if int(self.code[3:5]) >= 71 else _("Regency")
        if self.level == AreaLevel.VILLAGE:
            return _("Urban village") if self.code[9] == "1" else _("Village")
        return self.get_level_display()

    def clean(self) -> None:
        try:
            level = area_level(self.code)
        except AreaCodeError as error:
            raise ValidationError({"code": str(error)}) from error
        if self.level is not None and self.level != level:
            raise ValidationError(
                {
                    "level": _("The code %(code)s is a %(level)s code.")
                    % {"code": self.code, "level": AreaLevel(level).label}
                }
            )
        expected_parent = parent_code(self.code)
        if self.parent_id != expected_parent:
            raise ValidationError(
                {
                    "parent": _("The parent of %(code)s must be %(parent)s.")
                    % {"code": self.code, "parent": expected_parent or "—"}
                }
            )
