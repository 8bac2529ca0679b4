"""The models of partnerships, one module per concern; every model (and every name other modules
import from `partnerships.models`) is imported here, so that `partnerships.models.X` and the
app's migrations name them as before."""

# The old single module had Organisation in its namespace; `partnerships.models.Organisation`
# (the test factories use it) stays a name for the accounts model.
from accounts.models import Organisation

from .applications import (
    CRITERIA,
    CRITERION_CHOICES,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationParty,
    ApplicationPartyQuerySet,
    Assessment,
    PartnershipApplication,
    PartnershipApplicationQuerySet,
    ReviewNote,
)
from .funding import (
    NON_NEGATIVE,
    SEK,
    AnnualBudget,
    FundingCommitment,
    FundingCommitmentQuerySet,
    FundingReminder,
    Payment,
    validate_year,
)
from .invitations import (
    Invitation,
    _invitation_expiry,
    _invitation_token,
)
from .memberships import (
    Membership,
)
from .outcomes import (
    SocialOutcome,
    SocialOutcomeQuerySet,
)

__all__ = [
    "Organisation",
    "AnnualBudget",
    "ApplicationAttachment",
    "ApplicationEvent",
    "ApplicationParty",
    "ApplicationPartyQuerySet",
    "Assessment",
    "CRITERIA",
    "CRITERION_CHOICES",
    "FundingCommitment",
    "FundingCommitmentQuerySet",
    "FundingReminder",
    "Invitation",
    "Membership",
    "NON_NEGATIVE",
    "PartnershipApplication",
    "PartnershipApplicationQuerySet",
    "Payment",
    "ReviewNote",
    "SEK",
    "SocialOutcome",
    "SocialOutcomeQuerySet",
    "_invitation_expiry",
    "_invitation_token",
    "validate_year",
]
