"""Services of the associations module: creating a space, editing its profile, its
statutes settings and its modules. Each one checks permission on its own (whatever
the view did) and writes an audit entry."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations import services
from maillon.associations.models import Association, MajorityRule, Module, Statutes
from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


# --- association_create -------------------------------------------------------------------


def test_creator_becomes_administrator_and_member_with_default_statutes(other_association):
    user = UserFactory(full_name="Camille Martin")

    association = services.association_create(
        actor=user, name="Jardins Partagés de la Croix-Rousse", postal_code="69004"
    )

    assert association.slug == "jardins-partages-de-la-croix-rousse"
    assert my_roles(association=association, user=user) == {Role.ADMIN, Role.MEMBER}
    with scope(association=association):
        person = Person.objects.get(user=user)
        statutes = Statutes.objects.get()
    assert (person.first_name, person.email) == ("Camille", user.email)
    assert statutes.ag_notice_days == 15
    assert statutes.quorum_fraction == Decimal("0.250")
    assert statutes.ordinary_majority == MajorityRule.SIMPLE
    assert statutes.extraordinary_majority == MajorityRule.TWO_THIRDS
    assert association.enabled_modules == [Module.MEMBERS]
    with scopes_disabled():
        entry = AuditEntry.objects.get(association=association)
    assert (entry.action, entry.actor, entry.actor_label) == (
        "association.created",
        user,
        user.email,
    )
    # The creator holds no role in an unrelated association.
    assert my_roles(association=other_association, user=user) == frozenset()


def test_a_second_association_with_the_same_name_gets_its_own_address(db):
    first = services.association_create(actor=UserFactory(), name="Entraide")
    second = services.association_create(actor=UserFactory(), name="Entraide")
    assert (first.slug, second.slug) == ("entraide", "entraide-2")


def test_an_anonymous_visitor_cannot_create_an_association(db):
    with pytest.raises(PermissionDenied):
        services.association_create(actor=AnonymousUser(), name="Fantôme")
    assert not Association.objects.filter(name="Fantôme").exists()


@pytest.mark.parametrize("rna", ["W751234567", "w 751 234 567"])
def test_a_valid_rna_number_is_stored_normalised(db, rna):
    association = services.association_create(actor=UserFactory(), name="A", rna=rna)
    association.refresh_from_db()
    assert association.rna == "W751234567"


def test_an_invalid_rna_number_is_refused_and_nothing_is_created(db):
    with pytest.raises(ValidationError) as error:
        services.association_create(actor=UserFactory(), name="Mauvais RNA", rna="W12")
    assert "rna" in error.value.message_dict
    assert not Association.objects.filter(name="Mauvais RNA").exists()
    with scopes_disabled():
        assert not Person.objects.exists()


def test_siren_numbers_are_luhn_checked(db):
    valid = services.association_create(actor=UserFactory(), name="A", siren="732 829 320")
    assert valid.siren == "732829320"
    with pytest.raises(ValidationError) as error:
        services.association_create(actor=UserFactory(), name="B", siren="732829321")
    assert "siren" in error.value.message_dict


@pytest.mark.parametrize(
    ("postal_code", "department", "region"),
    [
        ("69001", "69", "Auvergne-Rhône-Alpes"),
        ("20200", "2B", "Corse"),
        ("20000", "2A", "Corse"),
        ("97400", "974", "La Réunion"),
    ],
)
def test_the_postal_code_gives_the_department_and_region(db, postal_code, department, region):
    association = services.association_create(
        actor=UserFactory(), name="Géo", postal_code=postal_code
    )
    association = Association.objects.select_related("department__region").get(pk=association.pk)
    assert association.department.code == department
    assert association.region.name == region


# --- association_update -------------------------------------------------------------------


def test_update_saves_changes_recomputes_the_department_and_logs_them(association, admin_user):
    services.association_update(
        association=association, actor=admin_user, name="Les Amis", postal_code="13001"
    )

    association.refresh_from_db()
    assert association.name == "Les Amis"
    assert association.department.code == "13"
    with scopes_disabled():
        entry = AuditEntry.objects.get(association=association, action="association.updated")
    assert entry.data["changes"]["name"] == ["Les Amis du Quartier", "Les Amis"]
    assert entry.actor == admin_user


def test_update_compares_with_the_stored_profile_not_the_object_passed(association, admin_user):
    """A form bound to the instance has already set the new values on it: the audit
    entry must still say what changed."""
    association.name = "Les Amis"  # what a ModelForm's validation does to its instance
    services.association_update(association=association, actor=admin_user, name="Les Amis")
    with scopes_disabled():
        entry = AuditEntry.objects.get(association=association, action="association.updated")
    assert entry.data["changes"] == {"name": ["Les Amis du Quartier", "Les Amis"]}


def test_update_without_any_change_writes_no_audit_entry(association, admin_user):
    services.association_update(association=association, actor=admin_user, name=association.name)
    assert "association.updated" not in audit_actions(association)


def test_update_refuses_an_invalid_siren_and_keeps_the_stored_profile(association, admin_user):
    with pytest.raises(ValidationError):
        services.association_update(
            association=association, actor=admin_user, name="Autre", siren="732829321"
        )
    association.refresh_from_db()
    assert (association.name, association.siren) == ("Les Amis du Quartier", "")
    assert audit_actions(association) == []


@pytest.mark.parametrize("role", [Role.MEMBER, Role.BOARD, Role.TREASURER, Role.SECRETARY])
def test_update_needs_the_manage_association_permission(association, role):
    user = member_with_account(association, [role])
    with pytest.raises(PermissionDenied):
        services.association_update(association=association, actor=user, name="Piraté")
    association.refresh_from_db()
    assert association.name == "Les Amis du Quartier"


def test_the_admin_of_another_association_cannot_update_this_one(association, other_admin):
    with pytest.raises(PermissionDenied):
        services.association_update(association=association, actor=other_admin, name="Piraté")


def test_a_president_may_update_the_profile(association):
    president = member_with_account(association, [Role.PRESIDENT])
    services.association_update(association=association, actor=president, city="Villeurbanne")
    association.refresh_from_db()
    assert association.city == "Villeurbanne"


# --- statutes_update ----------------------------------------------------------------------


def test_statutes_update_saves_and_logs_the_change(in_scope, admin_user):
    statutes = services.statutes_update(
        association=in_scope, actor=admin_user, ag_notice_days=21, quorum_fraction=Decimal("0.5")
    )
    statutes.refresh_from_db()
    assert (statutes.ag_notice_days, statutes.quorum_fraction) == (21, Decimal("0.500"))
    entry = AuditEntry.objects.get(action="association.statutes_updated")
    assert entry.data["changes"]["ag_notice_days"] == ["15", "21"]


def test_a_custom_majority_requires_its_fraction(in_scope, admin_user):
    with pytest.raises(ValidationError) as error:
        services.statutes_update(
            association=in_scope, actor=admin_user, ordinary_majority=MajorityRule.CUSTOM
        )
    assert "ordinary_majority_fraction" in error.value.message_dict
    assert Statutes.objects.get().ordinary_majority == MajorityRule.SIMPLE

    services.statutes_update(
        association=in_scope,
        actor=admin_user,
        extraordinary_majority=MajorityRule.CUSTOM,
        extraordinary_majority_fraction=Decimal("0.75"),
    )
    statutes = Statutes.objects.get()
    assert statutes.extraordinary_majority == MajorityRule.CUSTOM
    assert statutes.extraordinary_majority_fraction == Decimal("0.750")


def test_statutes_update_needs_the_manage_association_permission(in_scope):
    secretary = member_with_account(in_scope, [Role.SECRETARY])
    with pytest.raises(PermissionDenied):
        services.statutes_update(association=in_scope, actor=secretary, ag_notice_days=1)
    assert Statutes.objects.get().ag_notice_days == 15


# --- modules_update -----------------------------------------------------------------------


def test_modules_update_keeps_the_register_and_ignores_unknown_modules(association, admin_user):
    association.enabled_modules = ["members"]
    association.save(update_fields=["enabled_modules"])
    services.modules_update(
        association=association, actor=admin_user, modules=["events", "governance", "poker"]
    )
    association.refresh_from_db()
    assert association.enabled_modules == ["members", "governance", "events"]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="association.modules_updated")
    assert entry.data == {"before": ["members"], "after": ["members", "governance", "events"]}


def test_modules_update_without_change_writes_no_entry(association, admin_user):
    services.modules_update(
        association=association, actor=admin_user, modules=association.enabled_modules
    )
    assert audit_actions(association) == []


def test_modules_update_needs_the_manage_association_permission(association):
    staff = member_with_account(association, [Role.STAFF])
    before = list(association.enabled_modules)
    with pytest.raises(PermissionDenied):
        services.modules_update(association=association, actor=staff, modules=["events"])
    association.refresh_from_db()
    assert association.enabled_modules == before
