# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import application_views as views

urlpatterns = [
    path("", views.my_application_list, name="applications"),
    path("<int:application_id>/", views.my_application_detail, name="application_detail"),
    path("<int:application_id>/reply/", views.my_application_reply, name="application_reply"),
    path(
        "<int:application_id>/withdraw/",
        views.my_application_withdraw,
        name="application_withdraw",
    ),
]
