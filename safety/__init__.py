"""Incidents and their import, the samverkansplan and larm, interventions and their effects,
police events, and the read side every role reads: the figures core, dashboards, lägesbilder,
the city overview and the public figures. The highest domain app: it may import every app below
it, none imports it."""
