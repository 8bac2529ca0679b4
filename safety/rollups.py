"""The incident rollups (issue #20): per place, local day and category (with counts per
severity and visibility beside), and per place, local day and local hour. Kept by database
triggers; see places/rollups.py for how and why."""

from places.rollups import Rollup, flag, local_date, local_hour

DAY_VALUES = ["count", "low", "medium", "high", "restricted", "police_notified", "with_position"]


def incident_rollups() -> list[Rollup]:
    from .models import Incident, IncidentDay, IncidentHour

    source = Incident._meta.db_table
    day_table, hour_table = IncidentDay._meta.db_table, IncidentHour._meta.db_table
    positioned = "{row}.lat IS NOT NULL AND {row}.lon IS NOT NULL"

    def counts(row: str) -> list[str]:
        """count, low, medium, high, restricted, police_notified, with_position of a row."""
        return [
            "1",
            flag(f"{row}.severity = 'low'"),
            flag(f"{row}.severity = 'medium'"),
            flag(f"{row}.severity = 'high'"),
            flag(f"{row}.visibility = 'restricted'"),
            flag(f"{row}.police_notified"),
            flag(positioned.format(row=row)),
        ]

    def select_day(row, sign, connection):
        values = ", ".join(f"{sign} * {value}" for value in counts(row))
        return (
            f"SELECT {row}.place_id, {local_date(f'{row}.occurred_at', connection)}, "
            f"{row}.category_id, {values} WHERE 1 = 1"
        )

    def rebuild_day(connection):
        values = ", ".join(f"SUM({value})" for value in counts(source))
        return (
            f"INSERT INTO {day_table} (place_id, day, category_id, {', '.join(DAY_VALUES)}) "
            f"SELECT place_id, {local_date('occurred_at', connection)}, category_id, {values} "
            f"FROM {source} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
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
            f"{local_hour('occurred_at', connection)}, COUNT(*) FROM {source} "
            f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )

    return [
        Rollup(
            name="incident_day",
            source=source,
            target=day_table,
            keys=["place_id", "day", "category_id"],
            values=DAY_VALUES,
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
