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
from programs.models.uploads import EnrollmentUpload, UploadStatus

__all__ = [
    "BudgetLine",
    "Enrollment",
    "EnrollmentEvent",
    "EnrollmentQuerySet",
    "EnrollmentStatus",
    "EnrollmentUpload",
    "ExitReason",
    "FundingSource",
    "IncomeRecord",
    "Pillar",
    "Program",
    "ProgramKind",
    "ProgramQuerySet",
    "ProgramStatus",
    "UploadStatus",
    "VillageQuota",
]
