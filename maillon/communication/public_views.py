"""Public pages of the news: an association's news page with its subscription form,
a post, the Atom feed, and the links of the emails (confirm a subscription,
unsubscribe), which work without signing in. No scope is open here: the selectors
filter on published public posts or on one random token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from maillon.core.forms import add_validation_error

from . import selectors, services
from .forms import SubscribeForm
from .rendering import summary_html

PAGE_SIZE = 10
FEED_SIZE = 20


@require_safe
def news_list(request, slug):
    association = selectors.public_news_association(slug)
    page = Paginator(selectors.public_posts(association=association), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "communication/public_list.html",
        {
            "association": association,
            "page_obj": page,
            "posts": page.object_list,
            "form": SubscribeForm(),
        },
    )


@require_safe
def post_detail(request, slug, post_id):
    association = selectors.public_news_association(slug)
    post = selectors.public_post_get(association=association, post_id=post_id)
    return render(
        request, "communication/public_post.html", {"association": association, "post": post}
    )


@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    association = selectors.public_news_association(slug)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A robot filled the hidden field: same answer, nothing recorded.
            return redirect("news:subscribe_done", slug=association.slug)
        try:
            services.subscription_request(
                association=association,
                email=form.cleaned_data["email"],
                consent=form.cleaned_data["consent"],
                language=get_language() or "",
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("news:subscribe_done", slug=association.slug)
    return render(
        request, "communication/public_subscribe.html", {"association": association, "form": form}
    )


@require_safe
def subscribe_done(request, slug):
    association = selectors.public_news_association(slug)
    return render(request, "communication/public_subscribe_done.html", {"association": association})


@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """GET shows a button (mail scanners follow links); the POST records consent."""
    subscriber = selectors.subscriber_for_token(token)
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        subscriber = services.subscription_confirm(subscriber=subscriber)
        messages.success(
            request,
            _("Your subscription is confirmed. Thank you!"),
        )
        return redirect(request.path)
    return render(
        request,
        "communication/public_confirm.html",
        {"association": subscriber.association, "subscriber": subscriber},
    )


ONE_CLICK_VALUE = "One-Click"


@csrf_exempt  # RFC 8058: mail providers POST here without a session or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Personal unsubscribe link of one newsletter email. GET only shows the page with
    its button; a POST unsubscribes, from that button or from the mail provider's
    one-click (body ``List-Unsubscribe=One-Click``). The token alone names the
    recipient, so no CSRF token is needed to use it."""
    delivery = selectors.delivery_for_token(token)
    if delivery is None:
        raise Http404
    is_one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK_VALUE
    if request.method == "POST":
        services.newsletter_unsubscribe(
            delivery=delivery, source="one_click" if is_one_click else "link"
        )
        if is_one_click:
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
    return render(
        request,
        "communication/public_unsubscribe.html",
        {
            "association": delivery.association,
            "delivery": delivery,
            "done": request.method == "POST",
        },
    )


class NewsFeed(Feed):
    """Atom feed of an association's public posts."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return selectors.public_news_association(slug)

    def title(self, association):
        return _("News of %(association)s") % {"association": association.name}

    def subtitle(self, association):
        return association.purpose[:300] if association.purpose else ""

    def link(self, association):
        return reverse("news:list", kwargs={"slug": association.slug})

    def feed_url(self, association):
        return reverse("news:feed", kwargs={"slug": association.slug})

    def items(self, association):
        return list(selectors.public_posts(association=association)[:FEED_SIZE])

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return summary_html(post.body_html)

    def item_link(self, post):
        return reverse("news:post", kwargs={"slug": post.association.slug, "post_id": post.pk})

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return max(post.updated_at, post.published_at)

    def item_author_name(self, post):
        return post.association.name


news_feed = NewsFeed()
