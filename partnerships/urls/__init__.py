"""The URLconfs of partnerships, one per mount point (amp_platform/urls.py includes each):
`applications` at "/" (namespace partnerships), `places` at /places/<place_slug>/ (namespace
members), `invitations` at "/" (namespace invitations)."""
