"""Write-side services of safety, split by concern: incidents (and interventions), imports (the
incident import: upload, mapping, check, confirm), visitor_counts (sensors' visitor counts),
reports (lägesbilder), retention of free text, and the samverkansplan and its alerts."""
