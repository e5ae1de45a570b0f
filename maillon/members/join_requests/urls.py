from django.urls import path

from . import views

urlpatterns = [
    path("join-requests/", views.join_requests, name="join_requests"),
    path(
        "join-requests/<int:join_request_id>/decide/",
        views.join_request_decide_view,
        name="join_request_decide",
    ),
]
