"""News posts and newsletters of an association.

A post or a newsletter keeps its Markdown source and the HTML rendered from it, already
sanitised (``rendering.markdown_to_safe_html``): pages print the stored HTML, so a
template never renders user Markdown itself.

Newsletter recipients are frozen when sending is requested: one ``Delivery`` per
email address (unique per newsletter), which the background task claims before
sending. A retried task never sends the same delivery twice.

Consent (RGPD): people of the register consent through ``Person.consent_newsletter``;
people outside the register subscribe on the public news page with a double opt-in
(``Subscriber``, with the date and the source of their consent). Anyone who
unsubscribes gets an ``OptOut`` for their email in the association: every segment
leaves them out.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel


def _token() -> str:
    return secrets.token_urlsafe(32)


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    MEMBERS = "members", _("Members")
    BOARD = "board", _("Board and bureau")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("news post status", "Published")


class Post(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=50_000,
        help_text=_("Markdown: # heading, **bold**, *italic*, - list, [link](https://…)."),
    )
    body_html = models.TextField(editable=False, blank=True)
    audience = models.CharField(
        _("who can read it"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="post_published_has_date",
            )
        ]
        indexes = [
            models.Index(
                fields=["association", "status", "audience", "-published_at"],
                name="post_visible_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class Segment(models.TextChoices):
    MEMBERS = "members", _("Members of the register with an email address")
    VOLUNTEERS = "volunteers", _("Volunteers")
    BOARD = "board", _("Board and bureau")
    SUBSCRIBERS = "subscribers", _("Subscribers (people who agreed to receive the newsletter)")


class NewsletterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class NewsletterBase(TimeStampedModel):
    """What every newsletter has, whoever sends it (an association here, a network in
    ``maillon.network.newsletters``): the text, the sending state and the progress the
    sending task keeps up to date (counted from the deliveries)."""

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=100_000,
        help_text=_("Markdown: # heading, **bold**, *italic*, - list, [link](https://…)."),
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    send_requested_at = models.DateTimeField(_("sending requested at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    total_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.subject

    @property
    def done_count(self) -> int:
        return self.sent_count + self.failed_count

    @property
    def progress_percent(self) -> int:
        if not self.total_count:
            return 100 if self.status == NewsletterStatus.SENT else 0
        return min(100, round(100 * self.done_count / self.total_count))


class Newsletter(NewsletterBase):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    segment = models.CharField(
        _("recipients"), max_length=16, choices=Segment.choices, default=Segment.SUBSCRIBERS
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        indexes = [
            models.Index(fields=["association", "-created_at"], name="newsletter_recent_idx")
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", _("Failed")


class DeliveryBase(models.Model):
    """One email address receiving one newsletter. The token makes the personal
    unsubscribe link: it works without signing in and names nothing but this
    delivery. ``claim`` is the sending run that claimed it: that run alone sends it
    (``maillon.communication.sending``)."""

    email = models.EmailField()  # lower-cased
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.email


class Delivery(DeliveryBase):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(
        "members.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subscriber = models.ForeignKey(
        "communication.Subscriber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=8, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "email"], name="delivery_once_per_email")
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="delivery_progress_idx")]


class Subscriber(models.Model):
    """Someone outside the register who asked for the newsletter on the public news
    page. Consent counts once they confirmed it from the email (double opt-in)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("email"))  # lower-cased
    language = models.CharField(max_length=8, blank=True)
    confirmation_token = models.CharField(
        max_length=64, unique=True, default=_token, editable=False
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    consent_at = models.DateTimeField(_("consent confirmed at"), null=True, blank=True)
    consent_source = models.CharField(_("consent source"), max_length=100, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "email"], name="subscriber_once_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.consent_at is not None and self.unsubscribed_at is None


class OptOut(models.Model):
    """This email address asked for no more newsletters from this association."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("email"))  # lower-cased
    source = models.CharField(_("source"), max_length=32)
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("newsletter opt-out")
        verbose_name_plural = _("newsletter opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["association", "email"], name="optout_once_per_email")
        ]

    def __str__(self) -> str:
        return self.email
