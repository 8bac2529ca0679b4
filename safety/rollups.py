"""The incident rollups (issue #20): per place and local day by category, severity and
visibility, and per place, local day and local hour. Kept by database triggers; see
places/rollups.py for how and why."""

from places.rollups import Rollup, flag, local_date, local_hour


def incident_rollups() -> list[Rollup]:
    from .models import Incident, IncidentDay, IncidentHour

    source = Incident._meta.db_table
    day_table, hour_table = IncidentDay._meta.db_table, IncidentHour._meta.db_table
    positioned = "{row}.lat IS NOT NULL AND {row}.lon IS NOT NULL"

    def select_day(row, sign, connection):
        return (
            f"SELECT {row}.place_id, {local_date(f'{row}.occurred_at', connection)}, "
            f"{row}.category_id, {row}.severity, {row}.visibility, {sign}, "
            f"{sign} * {flag(f'{row}.police_notified')}, "
            f"{sign} * {flag(positioned.format(row=row))} WHERE 1 = 1"
        )

    def rebuild_day(connection):
        return (
            f"INSERT INTO {day_table} (place_id, day, category_id, severity, visibility, count, "
            f"police_notified, with_position) "
            f"SELECT place_id, {local_date('occurred_at', connection)}, category_id, severity, "
            f"visibility, COUNT(*), SUM({flag('police_notified')}), "
            f"SUM({flag(positioned.format(row=source))}) FROM {source} GROUP BY 1, 2, 3, 4, 5"
        )

    def select_hour(row, sign, connection):
        return (
            f"SELECT {row}.place_id, {local_date(f'{row}.occurred_at', connection)}, "
            f"{local_hour(f'{row}.occurred_at', connection)}, {sign} WHERE 1 = 1"
        )

    def rebuild_hour(connection):
        return (
            f"INSERT INTO {hour_table} (place_id, day, hour, count) "
            f"SELECT place_id, {local_date('occurred_at', connection)}, "
            f"{local_hour('occurred_at', connection)}, COUNT(*) FROM {source} GROUP BY 1, 2, 3"
        )

    return [
        Rollup(
            name="incident_day",
            source=source,
            target=day_table,
            keys=["place_id", "day", "category_id", "severity", "visibility"],
            values=["count", "police_notified", "with_position"],
            watch=[
                "place_id",
                "occurred_at",
                "category_id",
                "severity",
                "visibility",
                "police_notified",
                "lat",
                "lon",
            ],
            select=select_day,
            rebuild=rebuild_day,
        ),
        Rollup(
            name="incident_hour",
            source=source,
            target=hour_table,
            keys=["place_id", "day", "hour"],
            values=["count"],
            watch=["place_id", "occurred_at"],
            select=select_hour,
            rebuild=rebuild_hour,
        ),
    ]
