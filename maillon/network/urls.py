"""The network app's URLs: the back-office under ``/n/<network_slug>/`` (namespace
``network``), the association's side under ``/a/<slug>/networks/``
(``association_networks``) and the public pages under ``/networks/`` (``networks``)."""

from .backoffice import urls as backoffice_urls
from .campaigns import urls as campaign_urls
from .help.engagements import urls as engagement_urls
from .memberships import urls as membership_urls
from .networks import urls as network_urls
from .newsletters import urls as newsletter_urls
from .practices import urls as practice_urls

app_name = "network"

urlpatterns = [
    *backoffice_urls.urlpatterns,
    *membership_urls.urlpatterns,
    *network_urls.urlpatterns,
    *practice_urls.urlpatterns,
    *campaign_urls.urlpatterns,
    *newsletter_urls.urlpatterns,
    *engagement_urls.network_urlpatterns,
]

association_urlpatterns = membership_urls.association_urlpatterns
public_urlpatterns = [*newsletter_urls.public_urlpatterns, *network_urls.public_urlpatterns]
practice_association_urlpatterns = practice_urls.association_urlpatterns
practice_public_urlpatterns = practice_urls.public_urlpatterns

# Pooled resources and bookings, under /a/<slug>/resources/ (namespace "pooling").
from .pooling import urls as pooling_urls  # noqa: E402

pooling_urlpatterns = pooling_urls.association_urlpatterns

# Help requests, under /a/<slug>/help/ (namespace "help_requests").
from .help import urls as help_urls  # noqa: E402

help_urlpatterns = help_urls.association_urlpatterns

# The company space (skills sponsorship), under /companies/ (namespace "companies").
from .help.companies import urls as company_urls  # noqa: E402

company_urlpatterns = company_urls.urlpatterns

# Engagements (offers on help requests and the work after them): the association's
# side under /a/<slug>/help/engagements/ ("engagements"), the public pages of open
# requests under /help/ ("help"), a volunteer's offers under /me/help/ ("my_help"), a
# company's under /companies/<slug>/help/ ("company_help"); the network's are above.
engagement_urlpatterns = engagement_urls.association_urlpatterns
help_public_urlpatterns = engagement_urls.public_urlpatterns
my_help_urlpatterns = engagement_urls.me_urlpatterns
company_help_urlpatterns = engagement_urls.company_urlpatterns

# The help requests that suit a skills volunteer, under /me/volunteering/help-requests/
# (namespace "help_for_volunteer").
from .help.matching import urls as help_matching_urls  # noqa: E402

help_for_volunteer_urlpatterns = help_matching_urls.me_urlpatterns
