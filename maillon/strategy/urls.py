"""URLs of the digital strategy, gathered from its sub-packages.

``urlpatterns`` (namespace "strategy"): the back-office, under
``/a/<association_slug>/strategy/``: the diagnostic's pages, then the action plan,
indicators, evaluation and strategy document.

``public_urlpatterns`` (namespace "diagnostic"): the self-diagnostic without an
account, under ``/diagnostic/``."""

from .diagnostic import urls as diagnostic
from .plan import urls as plan

app_name = "strategy"
urlpatterns = [*diagnostic.urlpatterns, *plan.urlpatterns]

public_urlpatterns = diagnostic.public_urlpatterns
