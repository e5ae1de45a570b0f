from django.urls import path

from . import views

# Under /companies/ (namespace "companies").
urlpatterns = [
    path("new/", views.company_register, name="register"),
    path("<slug:company_slug>/", views.company_space, name="space"),
    path("<slug:company_slug>/employees/", views.employee_add, name="employee_add"),
    path(
        "<slug:company_slug>/employees/<int:employee_id>/withdraw/",
        views.employee_withdraw,
        name="employee_withdraw",
    ),
]
