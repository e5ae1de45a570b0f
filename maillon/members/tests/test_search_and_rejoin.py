import pytest
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.selectors import association_directory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members import services
from maillon.members.models import JoinRequestStatus, Person, Role
from maillon.members.selectors import person_list
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_register_search_ignores_accents_and_case(association):
    PersonFactory(association=association, first_name="Élise", last_name="Lefèvre", city="Orléans")
    PersonFactory(association=association, first_name="Bruno", last_name="Martin")
    with scope(association=association):
        for query in ("elise", "ÉLISE", "lefevre orleans", "Lefèvre"):
            found = [p.first_name for p in person_list(association=association, search=query)]
            assert found == ["Élise"], query


def test_directory_search_ignores_accents():
    AssociationFactory(name="Les Éclaireurs de Sète", city="Sète")
    AssociationFactory(name="Club de foot")
    assert [a.name for a in association_directory(search="eclaireurs sete")] == [
        "Les Éclaireurs de Sète"
    ]


def test_a_former_member_who_asks_again_gets_their_record_back(association, admin_user):
    user = UserFactory(email="revient@example.org")
    person = PersonFactory(association=association, user=user, email=user.email)
    with scope(association=association):
        services.person_leave(association=association, actor=admin_user, person=person)
    jr = services.join_request_submit(
        association=association,
        user=user,
        first_name="Re",
        last_name="Vient",
        email=user.email,
    )
    with scope(association=association):
        jr = services.join_request_decide(
            association=association, actor=admin_user, join_request=jr, approve=True
        )
    assert jr.status == JoinRequestStatus.APPROVED
    with scopes_disabled():
        people = Person.objects.filter(association=association, user=user)
        assert people.count() == 1
        back = people.get()
        assert back.pk == person.pk and back.left_on is None
        assert Role.MEMBER in {ra.role for ra in back.role_assignments.all()}
