from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
]

# /give/<association slug>/<campaign slug>/: no ``association_slug`` here, that name
# would open the back-office.
public_urlpatterns = [
    path("<slug:slug>/<slug:campaign_slug>/", views.public_campaign, name="campaign"),
]
