"""A place and the work done there: `Place`, `PlaceRole` (the only grant of access), activities,
action items, the årshjul, visitor counts, notifications and Web Push, public tips, webhooks,
offline logging. Also the shared machinery every higher app uses: the access helper and scoped
querysets, privacy screening of free text, geo, the outbox, exports, the chart drawing and the
daily rollups. Imports only `accounts`."""
