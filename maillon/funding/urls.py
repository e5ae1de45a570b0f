"""URLs of the funding module, composed from its sub-packages:

- ``urlpatterns``: the back-office, /a/<slug>/funding/... (namespace ``funding``);
- ``me_urlpatterns``: the donor's receipts, /me/funding/... (namespace ``my_funding``);
- ``public_urlpatterns``: campaign pages /give/<association>/<campaign>/, giving
  online /give/<association>/ (giving/), and the
  signed receipt links /receipts/<token>/ (namespace ``funding_public``).

``maillon/urls.py`` mounts the three."""

from django.urls import include, path

from .accounting import urls as accounting
from .campaigns import urls as campaigns
from .donations import urls as donations
from .donors import urls as donors
from .giving import urls as giving
from .receipts import urls as receipts

app_name = "funding"
urlpatterns = [
    path("", include(donations.urlpatterns)),
    path("", include(donors.urlpatterns)),
    path("", include(campaigns.urlpatterns)),
    path("", include(receipts.urlpatterns)),
    path("", include(accounting.urlpatterns)),
]

me_urlpatterns = receipts.me_urlpatterns

public_urlpatterns = [
    path("give/", include(giving.public_urlpatterns)),
    path("give/", include(campaigns.public_urlpatterns)),
    path("receipts/", include(receipts.link_urlpatterns)),
]
