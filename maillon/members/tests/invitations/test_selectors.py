"""An invitation is found from its email link, before any association is known."""

import pytest

from maillon.members.invitations.selectors import invitation_for_token
from maillon.members.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_an_invitation_is_found_by_its_token_outside_any_scope(association):
    invitation = InvitationFactory(person__association=association)
    assert invitation_for_token(invitation.token) == invitation
    assert invitation_for_token("unknown") is None
