from households.models.areas import Area, AreaLevel, AreaQuerySet
from households.models.imports import DtsenImport, ImportPhase, ImportStatus
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
    "Household",
    "HouseholdDesil",
    "HouseholdQuerySet",
    "ImportPhase",
    "ImportStatus",
    "Person",
    "PersonQuerySet",
    "Relationship",
    "Sex",
]
