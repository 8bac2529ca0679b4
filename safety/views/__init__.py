"""The views of safety, one module per concern: incidents (and their import), reports
(lägesbilder), retention, interventions, the samverkansplan and alerts, the dashboard and the
overview, and a place's public page."""
