from django.urls import path

from . import views

urlpatterns = [
    path("receipts/", views.receipt_list, name="receipts"),
    path("receipts/settings/", views.receipt_settings, name="receipt_settings"),
    path("receipts/settings/signature.png", views.receipt_signature, name="receipt_signature"),
    path("receipts/yearly/", views.batch_start, name="batch_start"),
    path("receipts/letters/", views.receipt_letters, name="receipt_letters"),
    path("receipts/emails/", views.receipt_emails, name="receipt_emails"),
    path("receipts/yearly/<int:batch_id>/", views.batch_progress, name="batch_progress"),
    path("receipts/<int:receipt_id>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:receipt_id>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("receipts/<int:receipt_id>/cancel/", views.receipt_cancel, name="receipt_cancel"),
    path("donations/<int:donation_id>/receipt/", views.receipt_issue, name="receipt_issue"),
]

me_urlpatterns = [
    path("receipts/", views.my_receipts, name="receipts"),
    path("receipts/<int:receipt_id>/pdf/", views.my_receipt_pdf, name="receipt_pdf"),
]

link_urlpatterns = [
    path("<str:token>/", views.receipt_by_link, name="receipt"),
]
