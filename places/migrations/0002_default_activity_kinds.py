from django.db import migrations

KINDS = [
    ("trygghetsvandring", "Trygghetsvandring", "Safety walk", True),
    ("klotterborttagning", "Klotterborttagning", "Graffiti removal", False),
    ("stadning", "Städning", "Cleaning", False),
    ("vaktrond", "Väktarrond", "Guard round", False),
    ("evenemang", "Evenemang", "Event", False),
    ("belysningsatgard", "Belysningsåtgärd", "Lighting fix", False),
    ("samverkansmote", "Samverkansmöte", "Partnership meeting", False),
    ("platsvard", "Platsvärd", "Place host", False),
    ("grona-insatser", "Gröna insatser", "Greenery work", False),
    ("ovrigt", "Övrigt", "Other", False),
]


def install(apps, schema_editor):
    ActivityKind = apps.get_model("places", "ActivityKind")
    for order, (code, name_sv, name_en, is_walk) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(
            code=code,
            defaults={"name_sv": name_sv, "name_en": name_en, "is_walk": is_walk, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
