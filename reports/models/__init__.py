"""The reports app's tables: published poverty statistics, area boundaries for the maps,
and the summaries the leaders' dashboard reads instead of the live register."""

from reports.models.boundaries import Boundary
from reports.models.statistics import INDICATORS, Indicator, PovertyStatistic
from reports.models.summaries import (
    AgencyQuarterSummary,
    AreaSummary,
    ProgramSummary,
    SummaryRefresh,
)

__all__ = [
    "INDICATORS",
    "AgencyQuarterSummary",
    "AreaSummary",
    "Boundary",
    "Indicator",
    "PovertyStatistic",
    "ProgramSummary",
    "SummaryRefresh",
]
