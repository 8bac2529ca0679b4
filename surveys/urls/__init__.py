from django.urls import path

from . import views

app_name = "surveys"

# Mounted at /places/<slug:place_slug>/ (the place's "Surveys" tab is surveys:survey_list).
urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/delete/", views.survey_delete, name="survey_delete"),
    path("surveys/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("surveys/<int:pk>/paper/", views.paper_response, name="paper_response"),
    path("surveys/<int:pk>/results/", views.results, name="results"),
    path("surveys/<int:pk>/results/answers/", views.text_answer_list, name="text_answer_list"),
    path(
        "surveys/<int:pk>/results/answers/<int:answer_pk>/flag/",
        views.answer_flag,
        name="answer_flag",
    ),
    path("surveys/<int:pk>/export.csv", views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/poster.pdf", views.poster_file, {"fmt": "pdf"}, name="poster_pdf"),
    path("surveys/<int:pk>/poster.svg", views.poster_file, {"fmt": "svg"}, name="poster_svg"),
]
