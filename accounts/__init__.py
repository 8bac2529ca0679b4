"""People and organisations: `User` (e-mail login), `Organisation` (every app refers to it),
personal API tokens with their scopes, rate limits and idempotency, and the bounds every form
field keeps (`accounts.bounds`). The lowest app: it imports no other app of ours."""
