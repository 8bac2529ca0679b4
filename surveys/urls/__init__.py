from django.urls import path

from ..views import workspace

app_name = "surveys"

# Mounted at /places/<slug:place_slug>/ (the place's "Surveys" tab is surveys:survey_list).
urlpatterns = [
    path("surveys/", workspace.survey_list, name="survey_list"),
    path("surveys/new/", workspace.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", workspace.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", workspace.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/status/", workspace.survey_status, name="survey_status"),
    path("surveys/<int:pk>/delete/", workspace.survey_delete, name="survey_delete"),
    path("surveys/<int:pk>/questions/new/", workspace.question_create, name="question_create"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/edit/",
        workspace.question_edit,
        name="question_edit",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        workspace.question_delete,
        name="question_delete",
    ),
    path("surveys/<int:pk>/paper/", workspace.paper_response, name="paper_response"),
    path("surveys/<int:pk>/results/", workspace.results, name="results"),
    path("surveys/<int:pk>/results/answers/", workspace.text_answer_list, name="text_answer_list"),
    path(
        "surveys/<int:pk>/results/answers/<int:answer_pk>/flag/",
        workspace.answer_flag,
        name="answer_flag",
    ),
    path("surveys/<int:pk>/export.csv", workspace.survey_export, name="survey_export"),
    path("surveys/<int:pk>/poster.pdf", workspace.poster_file, {"fmt": "pdf"}, name="poster_pdf"),
    path("surveys/<int:pk>/poster.svg", workspace.poster_file, {"fmt": "svg"}, name="poster_svg"),
]
