from django.db import migrations

# The standard safety survey (Trygghetsmätning), NTU-style questions as Brå's Nationella
# trygghetsundersökningen and the police's local surveys ask them. Scale answers run from
# 1 (least safe / worst) to 5 (safest / best) so the safety index reads one way.
TEMPLATES = {
    "sv": {
        "title": "Trygghetsmätning",
        "intro": (
            "Hur trygg känner du dig här? Dina svar är anonyma och hjälper oss som arbetar med "
            "platsen att göra den tryggare. Det tar ungefär två minuter."
        ),
        "questions": [
            ("Hur trygg känner du dig på platsen när det är mörkt ute på kvällen?", "scale5",
             ["Mycket otrygg", "Ganska otrygg", "Varken eller", "Ganska trygg", "Mycket trygg"], True, True),
            ("Hur trygg känner du dig på platsen under dagtid?", "scale5",
             ["Mycket otrygg", "Ganska otrygg", "Varken eller", "Ganska trygg", "Mycket trygg"], True, True),
            ("Hur ofta oroar du dig för att utsättas för brott på platsen?", "scale5",
             ["Mycket ofta", "Ganska ofta", "Ibland", "Sällan", "Aldrig"], True, False),
            ("Har du under det senaste året avstått från att gå till platsen för att du känt dig otrygg?",
             "yes_no", [], False, False),
            ("Vad upplever du som problem på platsen?", "multi_choice",
             ["Nedskräpning", "Klotter", "Dålig belysning", "Stökiga grupper", "Narkotikahandel",
              "Berusade personer", "Buskörning", "Inget av detta"], False, False),
            ("Vad skulle göra platsen tryggare?", "text", [], False, False),
        ],
    },
    "en": {
        "title": "Safety survey",
        "intro": (
            "How safe do you feel here? Your answers are anonymous and help those of us who work "
            "with the place to make it safer. It takes about two minutes."
        ),
        "questions": [
            ("How safe do you feel at this place when it is dark in the evening?", "scale5",
             ["Very unsafe", "Fairly unsafe", "Neither", "Fairly safe", "Very safe"], True, True),
            ("How safe do you feel at this place in the daytime?", "scale5",
             ["Very unsafe", "Fairly unsafe", "Neither", "Fairly safe", "Very safe"], True, True),
            ("How often do you worry about becoming a victim of crime at this place?", "scale5",
             ["Very often", "Fairly often", "Sometimes", "Rarely", "Never"], True, False),
            ("During the past year, have you avoided this place because you felt unsafe?",
             "yes_no", [], False, False),
            ("What do you see as problems at this place?", "multi_choice",
             ["Litter", "Graffiti", "Poor lighting", "Rowdy groups", "Drug dealing",
              "Intoxicated people", "Reckless driving", "None of these"], False, False),
            ("What would make this place safer?", "text", [], False, False),
        ],
    },
}


def install(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    for language, template in TEMPLATES.items():
        survey, _created = Survey.objects.get_or_create(
            is_template=True,
            language=language,
            title=template["title"],
            defaults={"intro": template["intro"], "status": "draft"},
        )
        if survey.questions.exists():
            continue
        for order, (text, kind, choices, in_index, required) in enumerate(template["questions"], 1):
            Question.objects.create(
                survey=survey, order=order * 10, text=text, kind=kind, choices=choices,
                in_safety_index=in_index, required=required,
            )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
