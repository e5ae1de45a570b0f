from django.urls import path

from . import views

# Under /a/<slug>/help/ (namespace "help_requests").
association_urlpatterns = [
    path("", views.help_request_list, name="list"),
    path("new/", views.help_request_create, name="create"),
    path("<int:help_request_id>/", views.help_request_detail, name="detail"),
    path("<int:help_request_id>/edit/", views.help_request_edit, name="edit"),
    path("<int:help_request_id>/close/", views.help_request_close, name="close"),
]
