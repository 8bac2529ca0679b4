"""Write-side services of safety, split by concern: incidents (and interventions), reports
(lägesbilder), retention of free text, and the samverkansplan and its alerts."""
