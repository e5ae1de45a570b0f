"""Back-office of the news and newsletters, under ``/a/<association_slug>/news/``."""

from django.urls import path

from . import views

app_name = "communication"
urlpatterns = [
    path("", views.posts, name="posts"),
    path("new/", views.post_create, name="post_create"),
    path("<int:post_id>/", views.post_detail, name="post_detail"),
    path("<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("<int:post_id>/publish/", views.post_publish, name="post_publish"),
    path("<int:post_id>/unpublish/", views.post_unpublish, name="post_unpublish"),
    path("newsletters/", views.newsletters, name="newsletters"),
    path("newsletters/new/", views.newsletter_create, name="newsletter_create"),
    path("newsletters/<int:newsletter_id>/", views.newsletter_detail, name="newsletter_detail"),
    path("newsletters/<int:newsletter_id>/edit/", views.newsletter_edit, name="newsletter_edit"),
    path("newsletters/<int:newsletter_id>/send/", views.newsletter_send, name="newsletter_send"),
    path(
        "newsletters/<int:newsletter_id>/progress/",
        views.newsletter_progress,
        name="newsletter_progress",
    ),
    path("subscribers/", views.subscribers, name="subscribers"),
]
