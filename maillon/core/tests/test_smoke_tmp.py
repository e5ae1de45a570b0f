import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

def test_pages(admin_client, association, other_association):
    for url in ["/", "/associations/", f"/associations/{association.slug}/", "/me/", f"/a/{association.slug}/", f"/a/{association.slug}/members/", f"/a/{association.slug}/settings/", f"/a/{association.slug}/settings/statutes/", f"/a/{association.slug}/settings/modules/", f"/a/{association.slug}/audit/", "/privacy/", "/me/data/", "/me/tokens/", "/api/v1/docs", f"/a/{association.slug}/members/join-requests/", f"/a/{association.slug}/members/new/"]:
        r = admin_client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    assert admin_client.get(f"/a/{other_association.slug}/").status_code == 404
