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


def _header(html: str) -> str:
    return html[html.index("<body") : html.index("</header>")]


def test_the_layout_kept_parts_follow_the_person_and_the_language(client, association):
    """``{% kept %}`` parts of the layout: signed in or not, language, and fresh CSRF
    tokens (the sign-out form works with the token of the page)."""
    import re

    from maillon.accounts.tests.factories import UserFactory

    anonymous = client.get(reverse("home")).content.decode()
    assert reverse("account_login") in _header(anonymous)
    assert reverse("account_logout") not in _header(anonymous)
    assert "csrfmiddlewaretoken" in _header(anonymous)  # the language form's
    user = UserFactory(language="en")
    client.force_login(user)
    english = client.get(reverse("home")).content.decode()
    assert ">Sign out<" in english and reverse("account_login") not in _header(english)
    user.language = "fr"
    user.save(update_fields=["language"])
    french = client.get(reverse("home")).content.decode()
    assert ">Sign out<" not in french and reverse("account_logout") in _header(french)
    assert '<html lang="fr">' in french and 'value="fr" lang="fr" selected' in french
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', french)
    assert len(tokens) == 2 and "X-CSRFToken" in french
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert reverse("account_logout") not in _header(client.get(reverse("home")).content.decode())


@pytest.mark.parametrize(
    "source",
    [
        "{% kept 'x' %}{% csrf_token %}{% endkept %}",
        "{% kept 'x' %}{{ request.path }}{% endkept %}",
        "{% kept 'x' %}{{ csrf_token }}{% endkept %}",
        "{% kept 'x' %}{% for m in messages %}{{ m }}{% endfor %}{% endkept %}",
        "{% kept %}x{% endkept %}",
    ],
)
def test_a_kept_part_cannot_read_what_changes_with_each_request(source):
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load maillon %}" + source)
