from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.user_settings, name="settings"),
    path("settings/my-data.<str:fmt>", views.data_export, name="data_export"),
    path("settings/api-tokens/", views.api_tokens, name="api_tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("settings/delete/", views.account_delete, name="account_delete"),
]
