from django.urls import path

from . import views

urlpatterns = [
    path("", views.donation_list, name="donations"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:donation_id>/", views.donation_detail, name="donation_detail"),
    path("donations/<int:donation_id>/cancel/", views.donation_cancel, name="donation_cancel"),
]
