from django.contrib.auth.management import create_permissions
from django.db import migrations


def install(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exists now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Reviewers")
    permission = Permission.objects.get(
        codename="review_application", content_type__app_label="partnerships"
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
