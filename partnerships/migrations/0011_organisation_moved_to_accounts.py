"""Organisation moved from partnerships to accounts (issue #12: every app uses it, so it lives in
the lowest one). Only Django's picture of the models changes: the table keeps its name
(`partnerships_organisation`), so every row, foreign key and many-to-many row stays as it was."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_organisation_moves_here"),
        ("partnerships", "0010_social_outcome"),
        ("places", "0012_organisation_in_accounts"),
        ("safety", "0011_organisation_in_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="invitation",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="accounts.organisation",
                        verbose_name="organisation represented",
                    ),
                ),
                migrations.AlterField(
                    model_name="socialoutcome",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="social_outcomes",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="partnershipapplication",
                    name="lead_organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="led_applications",
                        to="accounts.organisation",
                        verbose_name="lead organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="applicationparty",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="application_parties",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="fundingcommitment",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="commitments",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
            ],
            database_operations=[],
        ),
    ]
