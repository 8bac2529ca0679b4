"""Django admin for organisations, memberships, funding, invitations and applications. One module
per concern; importing them here runs their registrations, and every name stays importable as
`partnerships.admin.X`."""

from .applications import (
    ApplicationAdminForm,
    ApplicationAttachmentAdmin,
    ApplicationAttachmentInline,
    ApplicationEventAdmin,
    ApplicationEventInline,
    ApplicationPartyAdmin,
    ApplicationPartyInline,
    AssessmentAdmin,
    AssessmentInline,
    AttachmentAdminForm,
    PartnershipApplicationAdmin,
    ReviewNoteAdmin,
    ReviewNoteInline,
    next_application_reference,
)
from .funding import (
    AnnualBudgetAdmin,
    FundingCommitmentAdmin,
    FundingCommitmentAdminForm,
    FundingReminderAdmin,
    PaymentAdmin,
    PaymentAdminForm,
    PaymentInline,
    PaymentInlineFormSet,
    _sync_amount_paid,
)
from .invitations import (
    InvitationAdmin,
)
from .memberships import (
    MembershipAdmin,
    OrganisationAdmin,
    OrganisationMembershipInline,
)
from .outcomes import (
    SocialOutcomeAdmin,
)
from .places import (
    AnnualBudgetInline,
    MembershipInline,
    PlaceWithPartnershipAdmin,
)

__all__ = [
    "AnnualBudgetAdmin",
    "AnnualBudgetInline",
    "ApplicationAdminForm",
    "ApplicationAttachmentAdmin",
    "ApplicationAttachmentInline",
    "ApplicationEventAdmin",
    "ApplicationEventInline",
    "ApplicationPartyAdmin",
    "ApplicationPartyInline",
    "AssessmentAdmin",
    "AssessmentInline",
    "AttachmentAdminForm",
    "FundingCommitmentAdmin",
    "FundingCommitmentAdminForm",
    "FundingReminderAdmin",
    "InvitationAdmin",
    "MembershipAdmin",
    "MembershipInline",
    "OrganisationAdmin",
    "OrganisationMembershipInline",
    "PartnershipApplicationAdmin",
    "PaymentAdmin",
    "PaymentAdminForm",
    "PaymentInline",
    "PaymentInlineFormSet",
    "PlaceWithPartnershipAdmin",
    "ReviewNoteAdmin",
    "ReviewNoteInline",
    "SocialOutcomeAdmin",
    "_sync_amount_paid",
    "next_application_reference",
]
