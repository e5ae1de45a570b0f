from django.urls import path

from . import views

app_name = "me"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.language, name="language"),
    path("data/", views.my_data, name="data"),
    path("data/export.json", views.data_export, name="data_export"),
    path("erase/", views.erase, name="erase"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
