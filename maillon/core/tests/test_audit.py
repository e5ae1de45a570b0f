"""The audit log: what services write, and the page where an association's
administrators and president read it (their association's entries only)."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.core.audit import audit_log
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.register.services import person_create
from maillon.members.roles.services import person_set_roles
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def audit_url(association):
    return reverse("backoffice:audit", kwargs={"association_slug": association.slug})


def shown_actions(response) -> list[str]:
    return re.findall(r"<td[^>]*><code>([\w.]+)</code></td>", response.content.decode())


@pytest.fixture
def history(association, other_association, admin_user, other_admin):
    """Entries in both associations, written by the services themselves."""
    with scope(association=association):
        person = person_create(
            association=association, actor=admin_user, first_name="Ana", last_name="Blanc"
        )
        person_set_roles(
            association=association, actor=admin_user, person=person, roles=["member", "board"]
        )
    with scope(association=other_association):
        person_create(
            association=other_association,
            actor=other_admin,
            first_name="Secret",
            last_name="Voisin",
        )
    return person


def test_audit_log_records_who_did_what_to_which_object(association, admin_user):
    person = PersonFactory(association=association, first_name="Ana", last_name="Blanc")
    entry = audit_log(
        association=association,
        actor=admin_user,
        action="members.test",
        obj=person,
        data={"k": "v"},
    )
    assert entry.actor_label == admin_user.email
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "members.person",
        str(person.pk),
        "Ana Blanc",
    )
    assert entry.data == {"k": "v"}
    assert entry.created_at <= timezone.now()


def test_an_anonymous_action_has_no_actor(association):
    entry = audit_log(association=association, actor=AnonymousUser(), action="members.public")
    assert (entry.actor, entry.actor_label) == (None, "")


def test_audit_entries_are_tenant_data(association, other_association, history):
    with scope(association=association):
        assert set(AuditEntry.objects.values_list("association", flat=True)) == {association.pk}
    with scopes_disabled():
        assert AuditEntry.objects.count() == 3


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRESIDENT])
def test_administrators_and_presidents_read_their_associations_log(association, history, role):
    client = Client()
    client.force_login(member_with_account(association, [role]))

    response = client.get(audit_url(association))

    content = response.content.decode()
    assert response.status_code == 200
    assert shown_actions(response) == ["members.roles_changed", "members.person_created"]
    assert "Ana Blanc" in content
    assert "Secret Voisin" not in content  # another association's entry never shows
    assert "admin@voisin.example" not in content


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.TREASURER, Role.STAFF, Role.MEMBER])
def test_other_roles_may_not_read_the_log(association, history, role):
    client = Client()
    client.force_login(member_with_account(association, [role]))
    assert client.get(audit_url(association)).status_code == 403


def test_the_log_filters_by_action_actor_and_date(admin_client, association, history):
    url = audit_url(association)
    assert shown_actions(admin_client.get(url, {"action": "roles"})) == ["members.roles_changed"]
    assert shown_actions(admin_client.get(url, {"actor": "nobody@"})) == []
    assert len(shown_actions(admin_client.get(url, {"actor": "admin@amis"}))) == 2
    today = timezone.localdate()
    assert len(shown_actions(admin_client.get(url, {"date_from": today.isoformat()}))) == 2
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert shown_actions(admin_client.get(url, {"date_from": tomorrow})) == []
    # A filter never brings in another association's entries.
    assert shown_actions(admin_client.get(url, {"action": "person_created"})) == [
        "members.person_created"
    ]


def test_the_log_pages_by_fifty(admin_client, association):
    for n in range(55):
        audit_log(association=association, actor=None, action=f"test.entry_{n:02d}")
    first = shown_actions(admin_client.get(audit_url(association)))
    second = shown_actions(admin_client.get(audit_url(association), {"page": 2}))
    assert (len(first), len(second)) == (50, 5)
    assert first[0] == "test.entry_54"  # newest first


def test_the_admin_of_another_association_cannot_read_this_log(association, history, other_admin):
    client = Client()
    client.force_login(other_admin)
    assert client.get(audit_url(association)).status_code == 404
