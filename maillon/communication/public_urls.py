"""Public news pages, under ``/news/``. The association's slug is named ``slug``:
``association_slug`` would send these pages through the back-office middleware."""

from django.urls import path

from . import public_views

app_name = "news"
urlpatterns = [
    # Links of the emails: three segments, so no association's pages can shadow them.
    path(
        "email/confirm/<str:token>/",
        public_views.subscription_confirm,
        name="subscription_confirm",
    ),
    path("email/unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", public_views.news_list, name="list"),
    path("<slug:slug>/feed.atom", public_views.news_feed, name="feed"),
    path("<slug:slug>/subscribe/", public_views.subscribe, name="subscribe"),
    path("<slug:slug>/subscribe/done/", public_views.subscribe_done, name="subscribe_done"),
    path("<slug:slug>/<int:post_id>/", public_views.post_detail, name="post"),
]
