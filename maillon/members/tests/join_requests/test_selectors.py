"""Join requests by status, reached only inside their association."""

import pytest
from django.http import Http404
from django_scopes import scope

from maillon.members.join_requests.selectors import join_request_get, join_request_list
from maillon.members.models import JoinRequestStatus
from maillon.members.tests.factories import JoinRequestFactory

pytestmark = pytest.mark.django_db


def test_join_requests_by_status_and_access(association, other_association):
    pending = JoinRequestFactory(association=association)
    JoinRequestFactory(association=association, status=JoinRequestStatus.REJECTED)
    theirs = JoinRequestFactory(association=other_association)
    with scope(association=association):
        assert list(join_request_list(association=association)) == [pending]
        assert join_request_list(association=association, status="rejected").count() == 1
        assert join_request_list(association=association, status="").count() == 2
        assert join_request_get(association=association, join_request_id=pending.pk) == pending
        with pytest.raises(Http404):
            join_request_get(association=association, join_request_id=theirs.pk)
