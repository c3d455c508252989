from programs.models.enrollments import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentQuerySet,
    EnrollmentStatus,
    ExitReason,
    IncomeRecord,
)
from programs.models.programs import (
    BudgetLine,
    FundingSource,
    Pillar,
    Program,
    ProgramKind,
    ProgramQuerySet,
    ProgramStatus,
    VillageQuota,
)

__all__ = [
    "BudgetLine",
    "Enrollment",
    "EnrollmentEvent",
    "EnrollmentQuerySet",
    "EnrollmentStatus",
    "ExitReason",
    "FundingSource",
    "IncomeRecord",
    "Pillar",
    "Program",
    "ProgramKind",
    "ProgramQuerySet",
    "ProgramStatus",
    "VillageQuota",
]
