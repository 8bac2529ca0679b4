"""Split by concern: applications (Malmö review process) and members/funding."""
