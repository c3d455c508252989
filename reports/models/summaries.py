"""What the leaders' dashboard reads: figures summed per area, program and agency.

The live register has a million people; summing it on every page view is too slow for a
dashboard. reports/summaries.py rebuilds these tables for a year in the background after
each DTSEN load, enrolment change, partner realisation or progress report, and the
dashboard reads only them (and the small tables of partners and statistics).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Area
from programs.models import Program
from tkpk.models import Agency

# Desil 1–4: the households the dashboard counts as poor (households.selectors).
DESIL_SLOTS = 11  # index 0: no desil known; 1–10: the national desil


class AreaSummary(models.Model):
    """One area's register and program figures in one year: the region, a district or a village.

    Program figures count enrolments holding a place in a program of the year, by the
    village they were made in (the place a participant filled).
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="summaries"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    households = models.PositiveIntegerField(_("households"), default=0)
    people = models.PositiveIntegerField(_("people"), default=0)
    # [no desil, desil 1, …, desil 10]: households by their latest national desil.
    households_by_desil = models.JSONField(_("households by desil"), default=list)
    participants = models.PositiveIntegerField(_("program participants"), default=0)
    reached_households = models.PositiveIntegerField(_("households reached"), default=0)
    excluded_households = models.PositiveIntegerField(
        _("poor households reached by no program"), default=0
    )
    graduated_households = models.PositiveIntegerField(
        _("households that left their desil upwards"), default=0
    )
    measured_households = models.PositiveIntegerField(
        _("households with a later DTSEN period"), default=0
    )

    class Meta:
        verbose_name = _("area summary")
        verbose_name_plural = _("area summaries")
        ordering = ["year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_summary_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year}"


class ProgramSummary(models.Model):
    """One program's reach: planned places, people reached, overlap, exclusion, graduation."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="summaries"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.PositiveIntegerField(_("places planned"), null=True, blank=True)
    reached_people = models.PositiveIntegerField(_("people reached"), default=0)
    reached_households = models.PositiveIntegerField(_("households reached"), default=0)
    overlap_people = models.PositiveIntegerField(
        _("people also reached by another program"), default=0
    )
    excluded_households = models.PositiveIntegerField(
        _("eligible households reached by no program"), default=0
    )
    graduated = models.PositiveIntegerField(_("participants whose desil went up"), default=0)
    measured = models.PositiveIntegerField(_("participants with a later DTSEN period"), default=0)

    class Meta:
        verbose_name = _("program summary")
        verbose_name_plural = _("program summaries")
        ordering = ["year", "program"]
        constraints = [
            # A program running from October to March counts in both years.
            models.UniqueConstraint(fields=["program", "year"], name="program_summary_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.year}"


class AgencyQuarterSummary(models.Model):
    """One agency's action plan in one quarter, as the overview computed it.

    Whether a report is late depends on the day it is read, so the deadline and the
    report's status are kept and lateness is judged when the dashboard is read.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    has_verified_plan = models.BooleanField(_("has a verified plan"), default=False)
    report_status = models.CharField(_("report status"), max_length=10, blank=True)
    due_on = models.DateField(_("deadline"))
    achievement = models.DecimalField(
        _("achievement"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    absorption = models.DecimalField(
        _("budget absorption"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    budget = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("agency quarter summary")
        verbose_name_plural = _("agency quarter summaries")
        ordering = ["year", "agency", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"], name="agency_quarter_summary_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} Q{self.quarter}"


class SummaryRefresh(models.Model):
    """The state of the summaries of one year: when asked for, when last rebuilt, how long.

    `version` grows with every rebuild; rendered charts are cached under it.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"
