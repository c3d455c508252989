"""The reports app's tables: published poverty statistics, area boundaries for the maps,
the summaries the leaders' dashboard reads instead of the live register, the year-end
report with its builds, and the awards."""

from reports.models.awards import AwardCandidate, AwardCategory, AwardMethod, CandidateKind
from reports.models.boundaries import Boundary
from reports.models.statistics import INDICATORS, Indicator, PovertyStatistic
from reports.models.summaries import (
    AgencyQuarterSummary,
    AreaSummary,
    ProgramSummary,
    SummaryRefresh,
)
from reports.models.year_end import (
    NARRATIVE_FIELDS,
    BuildStatus,
    ReportBuild,
    ReportStatus,
    YearEndReport,
)

__all__ = [
    "INDICATORS",
    "NARRATIVE_FIELDS",
    "AgencyQuarterSummary",
    "AreaSummary",
    "AwardCandidate",
    "AwardCategory",
    "AwardMethod",
    "Boundary",
    "BuildStatus",
    "CandidateKind",
    "Indicator",
    "PovertyStatistic",
    "ProgramSummary",
    "ReportBuild",
    "ReportStatus",
    "SummaryRefresh",
    "YearEndReport",
]
