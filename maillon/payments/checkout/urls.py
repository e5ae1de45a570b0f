from django.urls import path

from . import views

# Under /me/a/<association_slug>/pay/ (namespace "my_payments").
me_urlpatterns = [
    path("renew/", views.renew, name="renew"),
    path("<int:intent_id>/return/", views.checkout_return, name="return"),
]

# Under /payments/ (namespace "payment_notifications"): called by HelloAsso.
public_urlpatterns = [
    path("helloasso/<str:token>/", views.notification, name="helloasso"),
]
