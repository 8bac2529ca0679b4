"""Organisation moved from partnerships to accounts (issue #12: every app uses it, so it lives in
the lowest one). Only Django's picture of the models changes: the table keeps its name
(`partnerships_organisation`), so every row, foreign key and many-to-many row stays as it was."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_organisation_moves_here"),
        ("places", "0011_webhooks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="actionitem",
                    name="responsible_organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="action_items",
                        to="accounts.organisation",
                        verbose_name="responsible organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="activity",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="activities",
                        to="accounts.organisation",
                        verbose_name="organisations",
                    ),
                ),
                migrations.AlterField(
                    model_name="placerole",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="place_roles",
                        to="accounts.organisation",
                        verbose_name="organisation represented",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
