from django.db import migrations

# The standard template in Arabic and Somali (issue #14), for both the Swedish and the English
# template (same questions, same order). Choice labels keep their positions, so answers in every
# language add up in one wave.
TEXTS = {
    "ar": {
        "title": "استبيان الشعور بالأمان",
        "intro": (
            "ما مدى شعورك بالأمان هنا؟ إجاباتك مجهولة الهوية وتساعدنا نحن العاملين في هذا المكان "
            "على جعله أكثر أمانًا. يستغرق الأمر نحو دقيقتين."
        ),
        "questions": [
            (
                "ما مدى شعورك بالأمان في هذا المكان عندما يحلّ الظلام مساءً؟",
                ["غير آمن إطلاقًا", "غير آمن إلى حد ما", "بين بين", "آمن إلى حد ما", "آمن جدًا"],
            ),
            (
                "ما مدى شعورك بالأمان في هذا المكان أثناء النهار؟",
                ["غير آمن إطلاقًا", "غير آمن إلى حد ما", "بين بين", "آمن إلى حد ما", "آمن جدًا"],
            ),
            (
                "كم مرة تقلق من أن تتعرض لجريمة في هذا المكان؟",
                ["كثيرًا جدًا", "كثيرًا", "أحيانًا", "نادرًا", "أبدًا"],
            ),
            ("خلال العام الماضي، هل تجنّبت الذهاب إلى هذا المكان لأنك شعرت بعدم الأمان؟", []),
            (
                "ما الذي تراه مشكلةً في هذا المكان؟",
                [
                    "النفايات",
                    "الكتابة على الجدران",
                    "ضعف الإنارة",
                    "مجموعات مزعجة",
                    "تجارة المخدرات",
                    "أشخاص مخمورون",
                    "القيادة المتهورة",
                    "لا شيء مما سبق",
                ],
            ),
            ("ما الذي قد يجعل هذا المكان أكثر أمانًا؟", []),
        ],
    },
    "so": {
        "title": "Sahanka dareenka ammaanka",
        "intro": (
            "Intee in le'eg ayaad halkan ku dareentaa ammaan? Jawaabahaagu waa qarsoodi waxayna "
            "naga caawinayaan annaga oo ka shaqeyna goobta inaan ka dhigno mid ammaan badan. "
            "Waxay qaadanaysaa qiyaastii laba daqiiqo."
        ),
        "questions": [
            (
                "Intee in le'eg ayaad goobtan ku dareentaa ammaan marka fiidkii mugdi yahay?",
                [
                    "Aad uma ammaan ahi",
                    "Xoogaa ammaan ma ahi",
                    "Dhexdhexaad",
                    "Xoogaa ammaan",
                    "Aad u ammaan",
                ],
            ),
            (
                "Intee in le'eg ayaad goobtan ku dareentaa ammaan maalintii?",
                [
                    "Aad uma ammaan ahi",
                    "Xoogaa ammaan ma ahi",
                    "Dhexdhexaad",
                    "Xoogaa ammaan",
                    "Aad u ammaan",
                ],
            ),
            (
                "Intee jeer ayaad ka walwashaa inaad goobtan dambi kula kulanto?",
                ["Aad u badan", "Badanaa", "Mararka qaarkood", "Dhif", "Marnaba"],
            ),
            (
                "Sannadkii la soo dhaafay, ma iska ilaalisay inaad timaado goobtan adigoo dareemay "
                "ammaan darro?",
                [],
            ),
            (
                "Maxaad u aragtaa dhibaatooyin goobtan ka jira?",
                [
                    "Qashin",
                    "Qoraalka derbiyada",
                    "Iftiin yar",
                    "Kooxo qas wada",
                    "Ka ganacsiga daroogada",
                    "Dad sakhraansan",
                    "Darawalnimo khatar ah",
                    "Midna kuma jiro",
                ],
            ),
            ("Maxaa goobtan ka dhigi lahaa mid ammaan badan?", []),
        ],
    },
}


def add(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    for template in Survey.objects.filter(is_template=True, language__in=["sv", "en"]):
        questions = list(template.questions.order_by("order", "pk"))
        if len(questions) != 6:
            continue  # a template changed by hand: leave it
        texts = dict(template.texts or {})
        for code, data in TEXTS.items():
            texts[code] = {"title": data["title"], "intro": data["intro"]}
            for question, (text, choices) in zip(questions, data["questions"], strict=True):
                more = dict(question.texts or {})
                more[code] = {"text": text, "choices": choices}
                question.texts = more
        template.texts = texts
        template.save(update_fields=["texts"])
        for question in questions:
            question.save(update_fields=["texts"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_texts_in_more_languages")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
