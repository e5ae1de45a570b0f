from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.association_create_view, name="create"),
    path("<slug:slug>/", views.public_page, name="public"),
    path("<slug:slug>/join/", views.join_request_view, name="join"),
]
