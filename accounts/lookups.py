"""A number no integer column can hold matches nothing, in an `in` filter too.

Django already answers `filter(pk=<too large>)` with no rows (its IntegerFieldExact), but
`filter(pk__in=[<too large>])` reaches the database driver, which raises (SQLite: "Python int
too large to convert"), and `filter(pk__in=["abc"])` raises before the query is built. Forms
and the admin run exactly these filters with what a browser sent – several organisations of an
activity, the admin's autocomplete redisplaying a submitted value – so a tampered value gave a
500. Only text (what a browser sends) that is no integer is dropped: any other wrong value, a
model instance say, still raises as before, since that is a mistake in the code.

Registered on IntegerField (every AutoField too) when the accounts app is ready.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if not self._text_that_is_no_integer(value)]
        return super().get_prep_lookup()

    def _text_that_is_no_integer(self, value) -> bool:
        if not isinstance(value, str):
            return False
        try:
            self.lhs.output_field.get_prep_value(value)
        except (TypeError, ValueError):
            return True
        return False

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
