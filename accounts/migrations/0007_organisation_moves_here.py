"""Organisation moved from partnerships to accounts (issue #12: every app uses it, so it lives in
the lowest one). Only Django's picture of the models changes: the table keeps its name
(`partnerships_organisation`), so every row, foreign key and many-to-many row stays as it was."""

import accounts.models
import django.db.models.deletion
from django.db import migrations, models


def _move(apps, from_label, to_label):
    """The admin's history and the permissions hang on the content type: it moves along."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=to_label, model="organisation").exists():
        return
    ContentType.objects.filter(app_label=from_label, model="organisation").update(
        app_label=to_label
    )


def move_content_type(apps, schema_editor):
    _move(apps, "partnerships", "accounts")


def move_content_type_back(apps, schema_editor):
    _move(apps, "accounts", "partnerships")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_api_tokens"),
        ("partnerships", "0010_social_outcome"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "org_number",
                            models.CharField(
                                max_length=11,
                                unique=True,
                                validators=[accounts.models.validate_org_number],
                                verbose_name="organisationsnummer",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("property_owner", "Property owner"),
                                    ("business", "Business"),
                                    ("municipality", "Municipality"),
                                    ("police", "Police"),
                                    ("housing_company", "Housing company"),
                                    ("association", "Association"),
                                    ("security_company", "Security company"),
                                    ("public_transport", "Public transport"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation",
                        "verbose_name_plural": "organisations",
                        "db_table": "partnerships_organisation",
                        "ordering": ["name"],
                    },
                ),
                migrations.AlterField(
                    model_name="user",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The organisation this person applies for in partnership applications. It gives no rights at any place: whom a person represents at a place is set on their role there.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="users",
                        to="accounts.organisation",
                        verbose_name="organisation in applications",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
