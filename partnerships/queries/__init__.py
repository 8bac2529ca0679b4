"""Read-side queries of partnerships, by concern: `funding` (a place's money and social
outcomes), `members` (its organisations, people and invitations), `applications` (the
applicant's list, the reviewers' queue, the follow-up)."""
