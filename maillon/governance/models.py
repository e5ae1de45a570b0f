"""General assemblies, board meetings and their votes.

Secret ballots: who voted (``Participation``) is stored apart from what was voted
(``Ballot``). A ballot has a random primary key, no voter reference and no
timestamp; the voter keeps a receipt code that appears in the published ballot list.
See docs/governance-threat-model.md."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.associations.models import MajorityRule
from maillon.core.models import TimeStampedModel


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary general assembly")
    EXTRAORDINARY = "extraordinary", _("Extraordinary general assembly")
    BOARD = "board", _("Board meeting")
    BUREAU = "bureau", _("Bureau meeting")
    OTHER = "other", _("Other meeting")


class AssemblyMode(models.TextChoices):
    IN_PERSON = "in_person", _("In the room")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In the room and online")


class AssemblyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONVENED = "convened", _("Convened")
    OPEN = "open", _("In session")
    CLOSED = "closed", pgettext_lazy("assembly status", "Closed")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


FRACTION = {"max_digits": 4, "decimal_places": 3}
FRACTION_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Assembly(TimeStampedModel):
    """A general assembly or a board/bureau meeting. Rules come from the
    association's statutes unless overridden here (null = statutes)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssemblyKind.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=AssemblyMode.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssemblyStatus.choices, default=AssemblyStatus.DRAFT
    )
    is_second_convocation = models.BooleanField(_("second convocation"), default=False)
    # Overrides of the statutes for this assembly (null: the statutes apply).
    quorum_fraction = models.DecimalField(
        _("quorum"), null=True, blank=True, validators=FRACTION_VALIDATORS, **FRACTION
    )
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("maximum proxies per holder"), null=True, blank=True
    )
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), null=True, blank=True)
    convened_at = models.DateTimeField(null=True, blank=True)
    late_convocation = models.BooleanField(default=False)
    roll_reference_date = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    # Set when the item came from a member proposal that reached its support threshold.
    proposal = models.ForeignKey(
        "governance.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


def _document_path(instance, filename):
    return f"assemblies/{instance.association_id}/{instance.assembly_id}/{filename}"


class AgendaDocument(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=_document_path)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class RollEntry(models.Model):
    """The electoral roll, frozen when the assembly is convened."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    may_vote = models.BooleanField(_("may vote"), default=True)
    weight = models.PositiveIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        verbose_name = _("electoral roll entry")
        verbose_name_plural = _("electoral roll")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "person"], name="roll_person_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class ConvocationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter by post")


class Convocation(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="convocations")
    entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="convocations")
    channel = models.CharField(max_length=8, choices=ConvocationChannel.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    is_reminder = models.BooleanField(default=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")

    def __str__(self) -> str:
        return f"{self.entry} ({self.channel})"


class Proxy(models.Model):
    """A pouvoir: the giver is represented by the holder. An unnamed proxy goes to
    the president when the assembly opens (if the statutes say so)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="proxies_given")
    holder = models.ForeignKey(
        RollEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="proxies_held"
    )
    is_unnamed = models.BooleanField(_("unnamed proxy"), default=False)
    is_paper = models.BooleanField(_("paper proxy recorded by the secretary"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "giver"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_proxy_per_giver",
            ),
            models.CheckConstraint(
                condition=Q(is_unnamed=True) | Q(holder__isnull=False),
                name="named_proxy_has_holder",
            ),
            models.CheckConstraint(condition=~Q(giver=models.F("holder")), name="no_self_proxy"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder or _('the president')}"


class AttendanceMode(models.TextChoices):
    ROOM = "room", _("In the room")
    ONLINE = "online", _("Online")


class Attendance(models.Model):
    """Émargement: a member present, checked in online or by the secretary."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendances")
    entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="attendances")
    mode = models.CharField(max_length=8, choices=AttendanceMode.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance sheet")
        constraints = [
            models.UniqueConstraint(fields=["assembly", "entry"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return str(self.entry)


class PollKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no / abstain")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    APPROVAL = "approval", _("Approval")
    ELECTION = "election", _("Election (plurality)")
    RANKED = "ranked", _("Ranked choice (instant-runoff or STV)")
    CONDORCET = "condorcet", _("Condorcet (Schulze)")
    MAJORITY_JUDGMENT = "majority_judgment", _("Majority judgment")


class PollStatus(models.TextChoices):
    CREATED = "created", _("Created")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class Poll(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, null=True, blank=True, related_name="polls"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="polls"
    )
    title = models.CharField(_("title"), max_length=255)
    resolution = models.TextField(_("text of the resolution"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PollKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    min_choices = models.PositiveSmallIntegerField(_("minimum choices"), default=0)
    max_choices = models.PositiveSmallIntegerField(_("maximum choices"), null=True, blank=True)
    is_secret = models.BooleanField(_("secret ballot"), default=True)
    allow_vote_change = models.BooleanField(
        _("voters may change their vote until the poll closes"), default=False
    )
    majority_rule = models.CharField(
        _("majority"), max_length=16, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    majority_fraction = models.DecimalField(
        _("custom fraction"), null=True, blank=True, validators=FRACTION_VALIDATORS, **FRACTION
    )
    blank_counts_as_cast = models.BooleanField(_("blank votes count as cast"), default=False)
    abstention_counts_as_cast = models.BooleanField(_("abstentions count as cast"), default=False)
    grades = models.JSONField(_("grades (worst to best)"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PollStatus.choices, default=PollStatus.CREATED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Hybrid assemblies: counts made in the room (show of hands or paper ballots
    # counted there), merged with the online ballots. {"option id or code": count}.
    room_counts = models.JSONField(_("counts made in the room"), default=dict, blank=True)
    # Frozen at close: the result of the count, as the tally engine returned it.
    result = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.title


class PollOption(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="poll_option_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PROXY = "proxy", _("By proxy")
    SECRETARY = "secretary", _("Recorded by the secretary")
    PAPER = "paper", _("Paper ballot")


class Participation(models.Model):
    """Who voted in a poll (the émargement of the vote). One per roll entry: the
    database refuses a second one, whatever races or retries happen."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="participations")
    channel = models.CharField(max_length=12, choices=VoteChannel.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "entry"], name="one_participation_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.entry} @ {self.poll_id}"


def _receipt() -> str:
    return secrets.token_hex(8)


class Ballot(models.Model):
    """What was voted. Secret ballots carry no voter and no timestamp; the random
    primary key gives no insertion order. Open ballots name the roll entry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    # The choice as the tally engine reads it: a list of option ids (single,
    # multiple, approval, election), a ranking of option ids, {option id: grade}
    # for majority judgment, or "yes"/"no"/"abstain"; [] is a blank ballot.
    choice = models.JSONField()
    weight = models.PositiveIntegerField(default=1)
    receipt = models.CharField(max_length=32, unique=True, default=_receipt, editable=False)
    # Only for open (non-secret) ballots.
    entry = models.ForeignKey(
        RollEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "entry"],
                condition=Q(entry__isnull=False),
                name="one_open_ballot_per_voter",
            )
        ]

    def __str__(self) -> str:
        return self.receipt


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open for support")
    ON_AGENDA = "on_agenda", _("On the agenda")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(TimeStampedModel):
    """A member's idea. Enough support puts it on the next general assembly's agenda."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title


class ProposalSupport(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="support_once")]

    def __str__(self) -> str:
        return f"{self.person} + {self.proposal_id}"


class ProposalComment(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"


class Minutes(TimeStampedModel):
    """The procès-verbal of an assembly: generated, then edited, then approved."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    assembly = models.OneToOneField(Assembly, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("text of the minutes"))
    president_name = models.CharField(_("president of the session"), max_length=200, blank=True)
    secretary_name = models.CharField(_("secretary of the session"), max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.assembly)
