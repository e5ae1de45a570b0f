import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.network.memberships import services
from maillon.network.models import (
    DataFamily,
    MembershipStatus,
    NetworkLogEntry,
    NetworkRoleKind,
)
from maillon.network.selectors import is_network_staff, member_associations, networks_of
from maillon.network.tests.factories import NetworkFactory, network_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return NetworkFactory(name="Fédération sportive du Rhône", slug="fsr")


@pytest.fixture
def head(network):
    return network_staff(network, NetworkRoleKind.HEAD, email="tete@fsr.example")


def _audit_actions(association):
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def test_invitation_accepted_by_the_association_with_both_sides_audited(
    network, head, association, admin_user
):
    membership = services.membership_invite(network=network, actor=head, association=association)
    assert membership.status == MembershipStatus.INVITED
    assert member_associations(network) == []

    services.membership_answer_invitation(
        association=association, actor=admin_user, membership=membership, accept=True
    )

    assert member_associations(network) == [association]
    assert networks_of(association) == [network]
    assert _audit_actions(association)[:2] == [
        "network.membership_accepted",
        "network.membership_invited",
    ]
    assert list(NetworkLogEntry.objects.values_list("action", flat=True)[:2]) == [
        "network.membership_accepted",
        "network.membership_invited",
    ]


def test_a_request_is_answered_by_the_network_only(network, head, association, admin_user):
    membership = services.membership_request(
        association=association, actor=admin_user, network=network
    )
    with pytest.raises(PermissionDenied):
        services.membership_answer_request(
            network=network, actor=admin_user, membership=membership, accept=True
        )
    services.membership_answer_request(
        network=network, actor=head, membership=membership, accept=True
    )
    assert member_associations(network) == [association]


def test_a_plain_member_cannot_request_nor_consent(network, association):
    member = member_with_account(association, [Role.MEMBER])
    with pytest.raises(PermissionDenied):
        services.membership_request(association=association, actor=member, network=network)


def test_no_second_open_link(network, head, association, admin_user):
    services.membership_invite(network=network, actor=head, association=association)
    with pytest.raises(ValidationError):
        services.membership_request(association=association, actor=admin_user, network=network)


def test_consent_is_nothing_by_default_then_chosen_then_cut_by_leaving(
    network, head, association, admin_user
):
    membership = services.membership_invite(network=network, actor=head, association=association)
    membership = services.membership_answer_invitation(
        association=association, actor=admin_user, membership=membership, accept=True
    )
    assert membership.shared_families == []
    assert member_associations(network, family=DataFamily.DIAGNOSTIC) == []

    services.membership_consent_set(
        association=association,
        actor=admin_user,
        membership=membership,
        families=[DataFamily.DIAGNOSTIC],
    )
    assert member_associations(network, family=DataFamily.DIAGNOSTIC) == [association]
    assert member_associations(network, family=DataFamily.MEMBERS) == []
    entry = NetworkLogEntry.objects.filter(action="network.consent_changed").get()
    assert entry.data["after"] == ["diagnostic"]
    assert "network.consent_changed" in _audit_actions(association)

    services.membership_leave(association=association, actor=admin_user, membership=membership)
    assert member_associations(network) == []
    assert networks_of(association) == []


def test_consent_of_another_associations_membership_is_refused(
    network, head, association, other_association, other_admin
):
    membership = services.membership_invite(network=network, actor=head, association=association)
    with pytest.raises(Exception) as error:
        services.membership_consent_set(
            association=other_association,
            actor=other_admin,
            membership=membership,
            families=[DataFamily.MEMBERS],
        )
    assert error.value.__class__.__name__ in ("ObjectOutsideAssociation",)


def test_staff_role_may_not_invite(network, association):
    staff = network_staff(network, NetworkRoleKind.STAFF)
    assert is_network_staff(staff, network)
    with pytest.raises(PermissionDenied):
        services.membership_invite(network=network, actor=staff, association=association)
