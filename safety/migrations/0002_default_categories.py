from django.db import migrations

# The categories Swedish BIDs and AMP partnerships log (architecture §3).
CATEGORIES = [
    ("skadegorelse", "Skadegörelse", "Vandalism"),
    ("klotter", "Klotter", "Graffiti"),
    ("nedskrapning", "Nedskräpning", "Littering"),
    ("stold-snatteri", "Stöld/snatteri", "Theft/shoplifting"),
    ("inbrott", "Inbrott", "Burglary"),
    ("hot", "Hot", "Threats"),
    ("vald", "Våld", "Violence"),
    ("ran", "Rån", "Robbery"),
    ("narkotikahandel", "Misstänkt narkotikahandel", "Suspected drug dealing"),
    ("ordningsstorning", "Ordningsstörning", "Public disorder"),
    ("berusade", "Berusade/påverkade personer", "Intoxicated persons"),
    ("buskorning", "Buskörning", "Reckless driving"),
    ("brand", "Brand", "Fire"),
    ("storande-grupper", "Störande grupper", "Disruptive groups"),
    ("ovrigt", "Övrigt", "Other"),
]


def install(apps, schema_editor):
    IncidentCategory = apps.get_model("safety", "IncidentCategory")
    for order, (code, name_sv, name_en) in enumerate(CATEGORIES, start=1):
        IncidentCategory.objects.update_or_create(
            code=code, defaults={"name_sv": name_sv, "name_en": name_en, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
