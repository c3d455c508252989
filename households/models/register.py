"""The register: households (No. KK) and people (NIK), with each household's desil history."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from households.identity import mask
from households.models.areas import Area

# BPS's working age: people aged 15 to 64 can be offered jobs and training rather than aid.
PRODUCTIVE_AGE = (15, 64)


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Relationship(models.IntegerChoices):
    """Relationship to the head of the family, in the order DTSEN numbers them."""

    HEAD = 1, _("Head of family")
    SPOUSE = 2, _("Wife/husband")
    CHILD = 3, _("Child")
    CHILD_IN_LAW = 4, _("Son/daughter-in-law")
    GRANDCHILD = 5, _("Grandchild")
    PARENT = 6, _("Parent/parent-in-law")
    OTHER_RELATIVE = 7, _("Other relative")
    OTHER = 8, _("Other")


def desil_field(verbose_name):
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True)


def desil_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__range": (1, 10)})


class HouseholdQuerySet(models.QuerySet):
    def in_area(self, code: str) -> "HouseholdQuerySet":
        """Households in the area `code` (a village, or every village of a district)."""
        return self.filter(
            # village__code is the foreign key's own column (no join); a ForeignKey
            # itself has no startswith lookup.
            models.Q(village_id=code) | models.Q(village__code__startswith=code + ".")
        )

    def desil_between(self, low: int | None, high: int | None) -> "HouseholdQuerySet":
        """By the latest national desil; an open end is not a limit."""
        if low is not None:
            self = self.filter(desil__gte=low)
        if high is not None:
            self = self.filter(desil__lte=high)
        return self


class Household(models.Model):
    """A family as DTSEN knows it, identified by its family card (No. KK)."""

    no_kk = models.CharField(_("No. KK"), max_length=16)
    village = models.ForeignKey(
        Area,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,  # household_village_desil starts with the village
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=10, blank=True)
    rw = models.CharField(_("RW"), max_length=10, blank=True)
    dusun = models.CharField(_("hamlet (dusun)"), max_length=100, blank=True)
    # The latest desil, copied from the newest period's HouseholdDesil for quick filters.
    desil = desil_field(_("national desil"))
    desil_provinsi = desil_field(_("provincial desil"))
    desil_kabupaten = desil_field(_("regency desil"))
    desil_period = models.CharField(_("desil period"), max_length=7, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["no_kk"]
        indexes = [
            models.Index(fields=["village", "desil"], name="household_village_desil"),
            models.Index(fields=["desil"], name="household_desil"),
            # The latest period loaded for a village: graduation compares with it.
            models.Index(fields=["village", "desil_period"], name="household_village_period"),
        ]
        constraints = [
            # A constraint, not unique=True: no extra LIKE index to maintain on every load.
            models.UniqueConstraint(fields=["no_kk"], name="household_no_kk_unique"),
            models.CheckConstraint(condition=desil_range("desil"), name="household_desil_1_10"),
            models.CheckConstraint(
                condition=desil_range("desil_provinsi"), name="household_desil_prov_1_10"
            ),
            models.CheckConstraint(
                condition=desil_range("desil_kabupaten"), name="household_desil_kab_1_10"
            ),
        ]

    def __str__(self) -> str:
        return mask(self.no_kk)

    @property
    def no_kk_masked(self) -> str:
        return mask(self.no_kk)


class HouseholdDesil(models.Model):
    """A household's desil in one DTSEN period: the history the household page shows."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="desil_history",
        db_index=False,  # household_desil_once_per_period starts with the household
    )
    period = models.CharField(_("period"), max_length=7)
    dtsen_import = models.ForeignKey(
        "households.DtsenImport",
        verbose_name=_("DTSEN load"),
        on_delete=models.PROTECT,
        related_name="desil_records",
        # A new period adds a record per household in one statement, all pointing to the
        # load's own row: checking that row each time was a tenth of the write. Django
        # still refuses to delete a load with records (PROTECT).
        db_constraint=False,
    )
    desil = desil_field(_("national desil"))
    desil_provinsi = desil_field(_("provincial desil"))
    desil_kabupaten = desil_field(_("regency desil"))

    class Meta:
        verbose_name = _("household desil")
        verbose_name_plural = _("household desil history")
        ordering = ["household", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "period"], name="household_desil_once_per_period"
            ),
            models.CheckConstraint(
                condition=desil_range("desil"), name="householddesil_desil_1_10"
            ),
            models.CheckConstraint(
                condition=desil_range("desil_provinsi"), name="householddesil_desil_prov_1_10"
            ),
            models.CheckConstraint(
                condition=desil_range("desil_kabupaten"), name="householddesil_desil_kab_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.period}: {self.desil}"


class PersonQuerySet(models.QuerySet):
    def in_area(self, code: str) -> "PersonQuerySet":
        """People whose household lives in the area `code` (a region, district or village)."""
        return self.filter(
            models.Q(household__village_id=code)
            | models.Q(household__village__code__startswith=code + ".")
        )

    def aged_between(
        self, low: int | None, high: int | None, *, on: datetime.date
    ) -> "PersonQuerySet":
        """People aged `low` to `high` years on `on`, both included; an open end is no limit.

        People without a birth date are left out when there is any limit.
        """
        if low is not None:
            self = self.filter(birth_date__lte=_years_before(on, low))
        if high is not None:
            self = self.filter(birth_date__gt=_years_before(on, high + 1))
        return self

    def productive_age(self, *, on: datetime.date) -> "PersonQuerySet":
        """People aged 15–64 on the date `on` (people without a birth date are left out)."""
        return self.aged_between(*PRODUCTIVE_AGE, on=on)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    if day.year - years < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Person(models.Model):
    """A person in the register, identified by NIK."""

    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    relationship = models.PositiveSmallIntegerField(
        _("relationship to the head"), choices=Relationship.choices, null=True, blank=True
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["nik"]
        constraints = [models.UniqueConstraint(fields=["nik"], name="person_nik_unique")]

    def __str__(self) -> str:
        return f"{mask(self.nik)} {self.name}"

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)

    def age(self, *, on: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - before_birthday
