from django.urls import path

from . import views

urlpatterns = [
    path("fees/letters/", views.reminder_letters, name="fee_reminder_letters"),
    path("fees/letters/pdf/", views.reminder_letters_pdf, name="fee_reminder_letters_pdf"),
]

# Under /fees/reminders/ (namespace "fee_reminders"), reached from an email.
public_urlpatterns = [path("off/<str:token>/", views.reminders_off, name="off")]
