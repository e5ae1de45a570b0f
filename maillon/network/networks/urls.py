from django.urls import path

from . import views

public_urlpatterns = [
    path("", views.public_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/", views.public_page, name="page"),
]

urlpatterns = [
    path("settings/", views.network_settings, name="settings"),
    path("team/", views.team, name="team"),
    path("team/<int:role_id>/remove/", views.team_remove, name="team_remove"),
    path("log/", views.log, name="log"),
]
