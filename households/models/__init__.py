from households.models.areas import Area, AreaLevel, AreaQuerySet
from households.models.exports import ExportStatus, RegisterExport
from households.models.imports import (
    DtsenImport,
    ImportPhase,
    ImportStatus,
    PersonChange,
    Tally,
)
from households.models.register import (
    Household,
    HouseholdDesil,
    HouseholdQuerySet,
    Person,
    PersonQuerySet,
    Relationship,
    Sex,
)

__all__ = [
    "Area",
    "AreaLevel",
    "AreaQuerySet",
    "DtsenImport",
    "ExportStatus",
    "Household",
    "HouseholdDesil",
    "HouseholdQuerySet",
    "ImportPhase",
    "ImportStatus",
    "Person",
    "PersonChange",
    "PersonQuerySet",
    "RegisterExport",
    "Relationship",
    "Sex",
    "Tally",
]
