from django.urls import path

from . import views

association_urlpatterns = [
    path("", views.sheet_list, name="list"),
    path("new/", views.sheet_create, name="create"),
    path("<int:sheet_id>/", views.sheet_detail, name="detail"),
    path("<int:sheet_id>/edit/", views.sheet_edit, name="edit"),
    path("<int:sheet_id>/publish/", views.sheet_publish, name="publish"),
    path("<int:sheet_id>/questions/", views.sheet_questions, name="questions"),
    path(
        "<int:sheet_id>/questions/<int:question_id>/",
        views.question_moderate,
        name="question_moderate",
    ),
    path("shared/<int:sheet_id>/endorse/", views.sheet_endorse, name="endorse"),
    path("shared/<int:sheet_id>/adopt/", views.sheet_adopt, name="adopt"),
    path("shared/<int:sheet_id>/ask/", views.sheet_ask, name="ask"),
]

public_urlpatterns = [
    path("", views.library, name="library"),
    path("feed.atom", views.feed, name="feed"),
    path("<int:sheet_id>/", views.library_detail, name="detail"),
]

urlpatterns = [
    path("practices/", views.network_sheets, name="practices"),
    path("practices/<int:share_id>/", views.network_moderate, name="practice_moderate"),
]
