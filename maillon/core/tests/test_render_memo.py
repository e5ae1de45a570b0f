"""Fragments rendered once per process (``maillon.core.render_memo``) are keyed by
everything they show: a role given, a module switched on, a renamed association or
another language shows on the very next page."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from maillon.core.render_memo import RenderMemo
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


def _nav(client, association) -> str:
    response = client.get(reverse("backoffice:dashboard", args=[association.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<nav class="association-nav"')
    return html[start : html.index("</nav>", start)]


def test_the_navigation_follows_a_role_change(client, association):
    user = member_with_account(association, [Role.MEMBER], email="membre@amis.example")
    client.force_login(user)
    members_link = reverse("members:list", args=[association.slug])
    assert members_link not in _nav(client, association)

    with scopes_disabled():
        person = Person.objects.get(user=user, association=association)
        RoleAssignment.objects.create(association=association, person=person, role=Role.SECRETARY)
    assert members_link in _nav(client, association)

    with scopes_disabled():
        RoleAssignment.objects.filter(person=person, role=Role.SECRETARY).delete()
    assert members_link not in _nav(client, association)


def test_the_navigation_follows_the_association(admin_client, association):
    association.enabled_modules = [m for m in association.enabled_modules or [] if m != "events"]
    association.save()
    events_link = reverse("events:list", args=[association.slug])
    assert events_link not in _nav(admin_client, association)

    association.enabled_modules = [*association.enabled_modules, "events"]
    association.name = "Les Amis du Quartier Nord"
    association.save()
    nav = _nav(admin_client, association)
    assert events_link in nav
    assert "Les Amis du Quartier Nord" in nav


def test_the_navigation_follows_the_language_and_the_open_section(
    admin_client, admin_user, association
):
    admin_user.language = "fr"
    admin_user.save(update_fields=["language"])
    assert ">Membres<" in _nav(admin_client, association)
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    assert ">Members<" in _nav(admin_client, association)
    response = admin_client.get(reverse("members:list", args=[association.slug]))
    html = response.content.decode()
    assert f'href="{reverse("members:list", args=[association.slug])}" aria-current="page"' in html


def test_the_member_filter_form_shows_what_was_submitted(admin_client, association):
    url = reverse("members:list", args=[association.slug])
    first = admin_client.get(url, {"q": "dupont", "role": "volunteer"}).content.decode()
    assert 'value="dupont"' in first and '<option value="volunteer" selected>' in first
    second = admin_client.get(url, {"q": "martin"}).content.decode()
    assert 'value="martin"' in second and 'value="dupont"' not in second
    assert '<option value="volunteer" selected>' not in second
    again = admin_client.get(url, {"q": "dupont", "role": "volunteer"}).content.decode()
    assert 'value="dupont"' in again and '<option value="volunteer" selected>' in again
    wrong = admin_client.get(url, {"joined_year": "abc"}).content.decode()
    assert 'class="error-text"' in wrong


def test_a_memo_keeps_the_most_recently_used_fragments_only():
    memo = RenderMemo(size=2)
    calls = []

    def render(text):
        calls.append(text)
        return text

    assert memo.get_or_render("a", lambda: render("A")) == "A"
    assert memo.get_or_render("a", lambda: render("other")) == "A"
    memo.get_or_render("b", lambda: render("B"))
    memo.get_or_render("a", lambda: render("A"))  # a is now the most recent
    memo.get_or_render("c", lambda: render("C"))  # b goes
    assert len(memo) == 2
    memo.get_or_render("b", lambda: render("B"))
    assert calls == ["A", "B", "C", "B"]
