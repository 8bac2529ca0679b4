"""Organisation moved from partnerships to accounts (issue #12: every app uses it, so it lives in
the lowest one). Only Django's picture of the models changes: the table keeps its name
(`partnerships_organisation`), so every row, foreign key and many-to-many row stays as it was."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_organisation_moves_here"),
        ("safety", "0010_external_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="alert",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="alerts",
                        to="accounts.organisation",
                        verbose_name="only these organisations",
                    ),
                ),
                migrations.AlterField(
                    model_name="alertanswer",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="contactlink",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_links",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="importmapping",
                    name="organisation",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_mapping",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="incident",
                    name="reporting_organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="incidents_reported",
                        to="accounts.organisation",
                        verbose_name="reporting organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="incidentimport",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="incident_imports",
                        to="accounts.organisation",
                        verbose_name="reporting organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="planconfirmation",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="plan_confirmations",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
