from django.urls import path

from . import views

urlpatterns = [
    path("donors/", views.donor_list, name="donors"),
    path("donors/new/", views.donor_create, name="donor_create"),
    path("donors/<int:donor_id>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:donor_id>/edit/", views.donor_edit, name="donor_edit"),
]
