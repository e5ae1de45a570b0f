"""News posts: writing, preview, publishing, who reads what, public pages and feed."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.communication import services
from maillon.communication.models import Audience, Post, PostStatus
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

from .factories import PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, association, **kwargs):
    return reverse(f"communication:{name}", kwargs={"association_slug": association.slug, **kwargs})


def posts_of_each_audience(association):
    return {
        audience: PostFactory(association=association, title=f"Post {audience}", audience=audience)
        for audience in Audience.values
    } | {"draft": PostFactory(association=association, title="Post draft", status="draft")}


# --- writing and publishing ----------------------------------------------------------------


def test_a_manager_previews_saves_then_publishes_a_post(admin_client, association):
    data = {"title": "Fête", "body": "# Samedi\n\n<script>x()</script>", "audience": "public"}
    response = admin_client.post(url("post_create", association), {**data, "action": "preview"})
    assert response.status_code == 200
    assert b"<h1>Samedi</h1>" in response.content
    assert b"<script>x()" not in response.content
    with scopes_disabled():
        assert not Post.objects.exists()  # a preview saves nothing

    response = admin_client.post(url("post_create", association), {**data, "action": "save"})
    with scopes_disabled():
        post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == PostStatus.DRAFT and post.published_at is None
    assert post.body_html.startswith("<h1>Samedi</h1>")
    assert "<script" not in post.body_html

    admin_client.post(url("post_publish", association, post_id=post.pk))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at is not None
    first_date = post.published_at

    admin_client.post(url("post_unpublish", association, post_id=post.pk))
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    admin_client.post(url("post_publish", association, post_id=post.pk))
    post.refresh_from_db()
    assert post.published_at == first_date  # published again: it keeps its date
    with scopes_disabled():
        actions = list(
            AuditEntry.objects.filter(association=association, action__startswith="news.")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == [
        "news.post_created",
        "news.post_published",
        "news.post_unpublished",
        "news.post_published",
    ]


def test_editing_renders_the_text_again(admin_client, association):
    post = PostFactory(association=association, body="old")
    response = admin_client.post(
        url("post_edit", association, post_id=post.pk),
        {"title": "New", "body": "[x](javascript:alert(1)) **new**", "audience": "members"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "New" and post.audience == "members"
    assert "<strong>new</strong>" in post.body_html
    assert "<a" not in post.body_html  # the javascript: link stays plain text


def test_an_empty_title_is_a_form_error(admin_client, association):
    response = admin_client.post(
        url("post_create", association), {"title": "", "body": "x", "audience": "public"}
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content


def test_services_check_the_permission(association):
    member = member_with_account(association, [Role.MEMBER])
    with scope(association=association), pytest.raises(PermissionDenied):
        services.post_create(
            association=association, actor=member, title="x", body="x", audience="public"
        )


# --- who reads what ---------------------------------------------------------------------------


def test_a_member_reads_public_and_members_posts_but_not_board_posts(client, association):
    posts = posts_of_each_audience(association)
    client.force_login(member_with_account(association, [Role.MEMBER]))
    response = client.get(url("posts", association))
    assert response.status_code == 200
    assert b"Post public" in response.content and b"Post members" in response.content
    assert b"Post board" not in response.content and b"Post draft" not in response.content
    assert b"Write a post" not in response.content
    assert (
        client.get(url("post_detail", association, post_id=posts["members"].pk)).status_code == 200
    )
    assert client.get(url("post_detail", association, post_id=posts["board"].pk)).status_code == 404
    assert client.get(url("post_detail", association, post_id=posts["draft"].pk)).status_code == 404


@pytest.mark.parametrize("role", [Role.BOARD, Role.TREASURER, Role.SECRETARY, Role.STAFF])
def test_board_and_bureau_read_board_posts(client, association, role):
    posts = posts_of_each_audience(association)
    client.force_login(member_with_account(association, [role]))
    response = client.get(url("post_detail", association, post_id=posts["board"].pk))
    assert response.status_code == 200


def test_a_volunteer_does_not_read_board_posts(client, association):
    posts = posts_of_each_audience(association)
    client.force_login(member_with_account(association, [Role.VOLUNTEER]))
    assert client.get(url("post_detail", association, post_id=posts["board"].pk)).status_code == 404
    assert (
        client.get(url("post_detail", association, post_id=posts["members"].pk)).status_code == 200
    )


def test_managers_see_drafts(admin_client, association):
    posts_of_each_audience(association)
    response = admin_client.get(url("posts", association))
    assert b"Post draft" in response.content and b"Post board" in response.content


def test_the_public_sees_only_published_public_posts(client, association):
    posts = posts_of_each_audience(association)
    response = client.get(reverse("news:list", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    assert b"Post public" in response.content
    for hidden in (b"Post members", b"Post board", b"Post draft"):
        assert hidden not in response.content
    post_url = lambda p: reverse("news:post", kwargs={"slug": association.slug, "post_id": p.pk})  # noqa: E731
    assert client.get(post_url(posts["public"])).status_code == 200
    for key in ("members", "board", "draft"):
        assert client.get(post_url(posts[key])).status_code == 404


def test_a_post_of_another_association_is_not_found_under_this_slug(
    client, association, other_association
):
    foreign = PostFactory(association=other_association)
    response = client.get(
        reverse("news:post", kwargs={"slug": association.slug, "post_id": foreign.pk})
    )
    assert response.status_code == 404


def test_no_public_news_page_when_the_module_is_off_or_the_association_unlisted(
    client, association
):
    PostFactory(association=association)
    page = reverse("news:list", kwargs={"slug": association.slug})
    association.enabled_modules = ["members"]
    association.save()
    assert client.get(page).status_code == 404
    association.enabled_modules = ["communication"]
    association.is_listed = False
    association.save()
    assert client.get(page).status_code == 404


def test_the_association_page_shows_its_three_latest_public_posts(client, association):
    for n in range(4):
        PostFactory(association=association, title=f"Public {n}")
    PostFactory(association=association, title="Members only", audience="members")
    response = client.get(reverse("associations:public", kwargs={"slug": association.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Public 3" in content and "Public 2" in content and "Public 1" in content
    assert "Public 0" not in content and "Members only" not in content


# --- Atom feed --------------------------------------------------------------------------------


def test_the_atom_feed_lists_public_posts_with_sanitised_summaries(client, association):
    hello = PostFactory(
        association=association,
        title="Hello",
        body_html='<p>Hi <a href="https://e.org" rel="noopener nofollow">there</a></p>',
    )
    PostFactory(association=association, title="Secret", audience="members")
    PostFactory(association=association, title="Draft", status="draft")
    with scopes_disabled():
        # Even a row written around the services never reaches the feed unsanitised.
        Post.objects.filter(title="Hello").update(
            body_html='<p onclick="x()">Hi</p><script>alert(1)</script>'
        )
    response = client.get(reverse("news:feed", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Hello"]
    summary = entries[0].find(f"{ATOM}summary").text
    assert "<script" not in summary and "onclick" not in summary
    assert "Hi" in summary
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/news/{association.slug}/{hello.pk}/"


def test_the_feed_of_an_unknown_association_is_not_found(client):
    assert client.get("/news/nobody-here/feed.atom").status_code == 404


# --- query counts -----------------------------------------------------------------------------


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["backoffice", "public", "feed", "association_page"])
def test_post_lists_cost_the_same_queries_with_n_and_2n_posts(
    client, admin_user, association, page
):
    author = admin_user
    paths = {
        "backoffice": url("posts", association),
        "public": reverse("news:list", kwargs={"slug": association.slug}),
        "feed": reverse("news:feed", kwargs={"slug": association.slug}),
        "association_page": reverse("associations:public", kwargs={"slug": association.slug}),
    }
    client.force_login(admin_user)
    PostFactory.create_batch(5, association=association, author=author)
    PostFactory.create_batch(2, association=association, author=author, audience="members")
    first = _count(client, paths[page])
    PostFactory.create_batch(5, association=association, author=author)
    PostFactory.create_batch(2, association=association, author=author, audience="members")
    assert _count(client, paths[page]) == first
