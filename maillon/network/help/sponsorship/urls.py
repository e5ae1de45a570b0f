from django.urls import path

from . import views

# Under /a/<slug>/sponsorship/ (namespace "sponsorship").
association_urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/<int:engagement_id>/", views.agreement_create, name="create"),
    path("<int:agreement_id>/", views.agreement_detail, name="detail"),
    path("<int:agreement_id>/edit/", views.agreement_edit, name="edit"),
    path("<int:agreement_id>/sign/", views.agreement_sign, name="sign"),
    path("<int:agreement_id>/agreement.pdf", views.agreement_document, name="pdf"),
    path("time/<int:entry_id>/decide/", views.entry_decide, name="decide"),
    path("receipts/", views.receipt_issue, name="receipt"),
]

# Under /companies/<company_slug>/sponsorship/ (namespace "company_sponsorship").
company_urlpatterns = [
    path("", views.company_overview, name="overview"),
    path("new/<int:engagement_id>/", views.company_agreement_create, name="create"),
    path("<int:agreement_id>/", views.company_agreement_detail, name="detail"),
    path("<int:agreement_id>/edit/", views.company_agreement_edit, name="edit"),
    path("<int:agreement_id>/sign/", views.company_agreement_sign, name="sign"),
    path("<int:agreement_id>/agreement.pdf", views.company_agreement_document, name="pdf"),
    path("<int:agreement_id>/employees/", views.company_employee_set, name="employee"),
    path(
        "<int:agreement_id>/employees/<int:row_id>/link/",
        views.company_link_renew,
        name="link_renew",
    ),
    path("<int:agreement_id>/time/", views.company_entry_add, name="entry_add"),
]

# Under /sponsorship/ (namespace "sponsorship_link"): the employee's signed link.
link_urlpatterns = [
    path("time/<str:token>/", views.employee_time, name="time"),
]
