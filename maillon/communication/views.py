"""Back-office pages of the news and newsletters. Thin: parse input, call a selector
or a service, render. Every page works without JavaScript; htmx only refreshes the
sending progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillon.associations.models import Module
from maillon.core.forms import add_validation_error
from maillon.core.tenancy import association_required
from maillon.core.views import run_service
from maillon.members.permissions import Perm

from . import selectors, services
from .forms import NewsletterForm, PostForm
from .models import NewsletterStatus
from .rendering import markdown_to_safe_html

MODULE = Module.COMMUNICATION
PAGE_SIZE = 20


def _post_page(request, post):
    return redirect(
        "communication:post_detail", association_slug=request.association.slug, post_id=post.pk
    )


def _newsletter_page(request, newsletter):
    return redirect(
        "communication:newsletter_detail",
        association_slug=request.association.slug,
        newsletter_id=newsletter.pk,
    )


def _wants_preview(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == "preview"


# --- posts ------------------------------------------------------------------------------------


@association_required(Perm.VIEW_BACKOFFICE, module=MODULE)
@require_safe
def posts(request, association_slug):
    posts = selectors.posts_for_reader(
        association=request.association, roles=request.roles, permissions=request.permissions
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/post_list.html",
        {
            "page_obj": page,
            "posts": page.object_list,
            "can_manage": Perm.MANAGE_NEWS in request.permissions,
        },
    )


@association_required(Perm.VIEW_BACKOFFICE, module=MODULE)
@require_safe
def post_detail(request, association_slug, post_id):
    post = selectors.post_get(
        association=request.association,
        roles=request.roles,
        permissions=request.permissions,
        post_id=post_id,
    )
    return render(
        request,
        "communication/post_detail.html",
        {"post": post, "can_manage": Perm.MANAGE_NEWS in request.permissions},
    )


def _post_form_page(request, *, post=None):
    form = PostForm(request.POST if request.method == "POST" else None, instance=post)
    preview_html = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "body", "audience")}
        if _wants_preview(request):
            preview_html = markdown_to_safe_html(data["body"])
        else:
            try:
                if post is None:
                    post = services.post_create(
                        association=request.association, actor=request.user, **data
                    )
                    messages.success(request, _("The post is saved as a draft."))
                else:
                    post = services.post_update(
                        association=request.association, actor=request.user, post=post, **data
                    )
                    messages.success(request, _("The post is saved."))
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return _post_page(request, post)
    return render(
        request,
        "communication/post_form.html",
        {"form": form, "post": post, "preview_html": preview_html},
    )


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_http_methods(["GET", "POST"])
def post_create(request, association_slug):
    return _post_form_page(request)


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_http_methods(["GET", "POST"])
def post_edit(request, association_slug, post_id):
    post = selectors.post_for_update(association=request.association, post_id=post_id)
    return _post_form_page(request, post=post)


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_POST
def post_publish(request, association_slug, post_id):
    post = selectors.post_for_update(association=request.association, post_id=post_id)
    run_service(request, services.post_publish, post=post, success=_("The post is published."))
    return _post_page(request, post)


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_POST
def post_unpublish(request, association_slug, post_id):
    post = selectors.post_for_update(association=request.association, post_id=post_id)
    run_service(
        request,
        services.post_unpublish,
        post=post,
        success=_("The post is withdrawn: it is a draft again."),
    )
    return _post_page(request, post)


# --- newsletters ----------------------------------------------------------------------------


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_safe
def newsletters(request, association_slug):
    page = Paginator(
        selectors.newsletter_list(association=request.association), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/newsletter_list.html",
        {"page_obj": page, "newsletters": page.object_list},
    )


def _newsletter_form_page(request, *, newsletter=None):
    form = NewsletterForm(
        request.POST if request.method == "POST" else None,
        instance=newsletter,
        segment_counts=selectors.segment_counts(association=request.association),
    )
    preview_html = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("subject", "body", "segment")}
        if _wants_preview(request):
            preview_html = markdown_to_safe_html(data["body"])
        else:
            try:
                if newsletter is None:
                    newsletter = services.newsletter_create(
                        association=request.association, actor=request.user, **data
                    )
                else:
                    newsletter = services.newsletter_update(
                        association=request.association,
                        actor=request.user,
                        newsletter=newsletter,
                        **data,
                    )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The newsletter is saved. Check it, then send it."))
                return _newsletter_page(request, newsletter)
    return render(
        request,
        "communication/newsletter_form.html",
        {"form": form, "newsletter": newsletter, "preview_html": preview_html},
    )


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_http_methods(["GET", "POST"])
def newsletter_create(request, association_slug):
    return _newsletter_form_page(request)


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_http_methods(["GET", "POST"])
def newsletter_edit(request, association_slug, newsletter_id):
    newsletter = selectors.newsletter_get(
        association=request.association, newsletter_id=newsletter_id
    )
    if newsletter.status != NewsletterStatus.DRAFT:
        messages.info(request, _("This newsletter has already been sent: it can no longer change."))
        return _newsletter_page(request, newsletter)
    return _newsletter_form_page(request, newsletter=newsletter)


def _progress_context(request, newsletter) -> dict:
    return {
        "newsletter": newsletter,
        "is_sending": newsletter.status == NewsletterStatus.SENDING,
    }


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_safe
def newsletter_detail(request, association_slug, newsletter_id):
    newsletter = selectors.newsletter_get(
        association=request.association, newsletter_id=newsletter_id
    )
    is_draft = newsletter.status == NewsletterStatus.DRAFT
    recipient_count = (
        len(
            selectors.segment_recipients(
                association=request.association, segment=newsletter.segment
            )
        )
        if is_draft
        else newsletter.total_count
    )
    return render(
        request,
        "communication/newsletter_detail.html",
        {
            **_progress_context(request, newsletter),
            "is_draft": is_draft,
            "recipient_count": recipient_count,
            "can_send": Perm.SEND_NEWSLETTERS in request.permissions,
        },
    )


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_safe
def newsletter_progress(request, association_slug, newsletter_id):
    """The progress bar alone (htmx polls it); without htmx, the newsletter's page."""
    newsletter = selectors.newsletter_get(
        association=request.association, newsletter_id=newsletter_id
    )
    if not request.htmx:
        return _newsletter_page(request, newsletter)
    return render(
        request,
        "communication/partials/newsletter_progress.html",
        _progress_context(request, newsletter),
    )


@association_required(Perm.SEND_NEWSLETTERS, module=MODULE)
@require_POST
def newsletter_send(request, association_slug, newsletter_id):
    newsletter = selectors.newsletter_get(
        association=request.association, newsletter_id=newsletter_id
    )
    service = (
        services.newsletter_resume
        if newsletter.status == NewsletterStatus.SENDING
        else services.newsletter_send
    )
    run_service(
        request,
        service,
        newsletter=newsletter,
        success=_("Sending has started. You can follow it on this page."),
    )
    return _newsletter_page(request, newsletter)


@association_required(Perm.MANAGE_NEWS, module=MODULE)
@require_safe
def subscribers(request, association_slug):
    page = Paginator(
        selectors.subscriber_list(association=request.association), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/subscriber_list.html",
        {"page_obj": page, "subscribers": page.object_list},
    )
