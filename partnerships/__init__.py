"""The partnership around a place: memberships, invitations, budgets, funding commitments and
payments, social outcomes, and applications for collaboration support (samverkansstöd) with
their review. Imports `accounts`, `places` and `surveys`, never `safety`."""
