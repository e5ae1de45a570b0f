"""Pages of the payments app: ``urlpatterns`` (namespace "payments") under
/a/<association_slug>/payments/; ``me_urlpatterns`` (namespace "my_payments") under
/me/a/<association_slug>/pay/; ``public_urlpatterns`` (namespace
"payment_notifications") under /payments/, called by the provider."""

from .checkout import urls as checkout
from .connection import urls as connection
from .imports import urls as imports

app_name = "payments"
urlpatterns = [*connection.urlpatterns, *imports.urlpatterns]
me_urlpatterns = checkout.me_urlpatterns
public_urlpatterns = checkout.public_urlpatterns
