"""Query expressions shared by the apps."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset, field: str):
    """How many rows of `queryset` have `field` pointing at the outer row (0 when none), as a
    subquery per row. `Count()` over a join instead groups every row of the table before a
    page of them is taken, and the grouping drops the model's default ordering (an admin
    autocomplete then lists its choices in no order)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
