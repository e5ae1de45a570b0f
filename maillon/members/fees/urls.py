from django.urls import path

from . import views

urlpatterns = [
    path("<int:person_id>/fees/new/", views.fee_add, name="fee_add"),
    path("<int:person_id>/fees/<int:period_id>/delete/", views.fee_delete, name="fee_delete"),
    path("fees/", views.fee_schedule, name="fee_schedule"),
    path("fees/types/new/", views.fee_type_edit, name="fee_type_create"),
    path("fees/types/<int:fee_type_id>/", views.fee_type_edit, name="fee_type_edit"),
]
