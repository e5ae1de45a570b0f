from django.urls import path

from . import views

# Under /a/<slug>/resources/ (namespace "pooling").
association_urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.own_resources, name="mine"),
    path("new/", views.resource_create, name="create"),
    path("<int:resource_id>/", views.resource_detail, name="detail"),
    path("<int:resource_id>/edit/", views.resource_edit, name="edit"),
    path("<int:resource_id>/book/", views.resource_book, name="book"),
    path("<int:resource_id>/waitlist/", views.resource_waitlist_join, name="waitlist"),
    path("<int:resource_id>/unavailable/", views.resource_blackout_add, name="blackout"),
    path("<int:resource_id>/photos/", views.resource_photo_add, name="photo"),
    path("<int:resource_id>/calendar.ics", views.resource_calendar, name="calendar"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking"),
    path("bookings/<int:booking_id>/decide/", views.booking_decide, name="decide"),
    path("bookings/<int:booking_id>/check-out/", views.booking_check_out, name="check_out"),
    path("bookings/<int:booking_id>/check-in/", views.booking_check_in, name="check_in"),
    path("bookings/<int:booking_id>/close/", views.booking_close, name="close"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="cancel"),
    path("bookings/<int:booking_id>/extend/", views.booking_extend, name="extend"),
    path("bookings/<int:booking_id>/agreement.pdf", views.booking_agreement, name="agreement"),
]
