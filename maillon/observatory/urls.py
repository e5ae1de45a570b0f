"""URLs of the observatory.

``public_urlpatterns`` (namespace "observatory", under ``/observatory/``): the
published waves, their methodology and open data, the trends; the staff page that
opens and publishes waves; an anonymous taker's opt-in.

``urlpatterns`` (namespace "observatory_backoffice", under
``/a/<association_slug>/observatory/``): the association's consent to the open wave.

The per-network page (``/n/<slug>/observatory/``) is wired with the networks module:
``observatory.networks.selectors.network_observatory_across_associations`` computes it."""

from django.urls import path

from .public import views as public
from .waves import views as waves

app_name = "observatory_backoffice"
urlpatterns = [path("consent/", waves.consent, name="consent")]

public_urlpatterns = [
    path("", public.index, name="index"),
    path("trends/", public.trends, name="trends"),
    path("dictionary.csv", public.data_dictionary, name="dictionary"),
    path("manage/", waves.manage, name="manage"),
    path("manage/<int:year>/publish/", waves.publish, name="publish"),
    path("opt-in/<str:token>/", waves.opt_in, name="opt_in"),
    path("<int:year>/", public.wave_detail, name="wave"),
    path("<int:year>/methodology/", public.wave_methodology, name="methodology"),
    path("<int:year>/data.csv", public.wave_download_csv, name="csv"),
    path("<int:year>/data.xlsx", public.wave_download_xlsx, name="xlsx"),
]
