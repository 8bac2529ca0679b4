from django.db import migrations

# The standard templates come in Swedish and English with the same questions in the same order.
# Each gets the other's texts as its translation, so a survey copied from either can be answered
# in both languages and stays one wave.
PAIRS = [("Trygghetsmätning", "sv", "Safety survey", "en")]


def link(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    for title_a, lang_a, title_b, lang_b in PAIRS:
        a = Survey.objects.filter(is_template=True, language=lang_a, title=title_a).first()
        b = Survey.objects.filter(is_template=True, language=lang_b, title=title_b).first()
        if a is None or b is None:
            continue
        questions_a = list(a.questions.order_by("order", "pk"))
        questions_b = list(b.questions.order_by("order", "pk"))
        if len(questions_a) != len(questions_b):
            continue
        for survey, other in ((a, b), (b, a)):
            survey.translated_title = other.title
            survey.translated_intro = other.intro
            survey.save(update_fields=["translated_title", "translated_intro"])
        for qa, qb in zip(questions_a, questions_b):
            for question, other in ((qa, qb), (qb, qa)):
                question.translated_text = other.text
                question.translated_choices = other.choices
                question.save(update_fields=["translated_text", "translated_choices"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_translations_and_form_nonce")]
    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
