"""The models of safety, one module per concern; every model is imported here so that
`safety.models.X` (and the app's migrations) name them as before."""

from .alerts import (
    Alert,
    AlertAnswer,
    AlertDelivery,
    ContactLink,
    PlanConfirmation,
    PlanVersion,
    Scenario,
    SituationPlan,
    validate_functional_number,
)
from .incidents import (
    ExternalEvent,
    ImportMapping,
    Incident,
    IncidentCategory,
    IncidentDay,
    IncidentHour,
    IncidentImport,
    IncidentImportQuerySet,
    IncidentQuerySet,
)
from .interventions import Intervention, InterventionQuerySet
from .reports import SituationReport, SituationReportQuerySet

__all__ = [
    "Alert",
    "AlertAnswer",
    "AlertDelivery",
    "ContactLink",
    "ExternalEvent",
    "ImportMapping",
    "Incident",
    "IncidentCategory",
    "IncidentDay",
    "IncidentHour",
    "IncidentImport",
    "IncidentImportQuerySet",
    "IncidentQuerySet",
    "Intervention",
    "InterventionQuerySet",
    "PlanConfirmation",
    "PlanVersion",
    "Scenario",
    "SituationPlan",
    "SituationReport",
    "SituationReportQuerySet",
    "validate_functional_number",
]
