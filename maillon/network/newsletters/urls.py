from django.urls import path

from . import views

urlpatterns = [
    path("newsletters/", views.newsletter_list, name="newsletters"),
    path("newsletters/<int:newsletter_id>/", views.newsletter_detail, name="newsletter"),
    path("newsletters/<int:newsletter_id>/send/", views.newsletter_send, name="newsletter_send"),
    path(
        "newsletters/<int:newsletter_id>/progress/",
        views.newsletter_progress,
        name="newsletter_progress",
    ),
]

public_urlpatterns = [
    path(
        "newsletter/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="newsletter_unsubscribe",
    ),
]
