"""Writes of the observatory's waves: open, consent, opt in, publish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.audit import audit_log
from maillon.members.permissions import Perm, check_permission

from ..margins.selectors import margin_set_default, margins_frozen
from ..models import AnonymousOptIn, MarginSet, SnapshotLink, Wave, WaveConsent, WaveStatus
from .collect import wave_collect
from .publication import publication_results

if TYPE_CHECKING:
    from maillon.accounts.models import User
    from maillon.associations.models import Association


def _require_staff(actor: User) -> None:
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied


@transaction.atomic
def wave_open(*, actor: User, year: int, margin_set: MarginSet | None = None) -> Wave:
    """An instance administrator opens the wave of ``year``."""
    _require_staff(actor)
    margin_set = margin_set or margin_set_default()
    if margin_set is None:
        raise ValidationError(_("Load population margins before opening a wave."))
    national = Wave.objects.filter(network__isnull=True)
    if national.filter(status=WaveStatus.OPEN).exists():
        raise ValidationError(_("A wave is already open: publish it first."))
    if national.filter(year=year).exists():
        raise ValidationError(_("The wave of %(year)s already exists.") % {"year": year})
    wave = Wave(year=year, margin_set=margin_set, opened_by=actor)
    wave.full_clean()
    wave.save()
    audit_log(
        association=None,
        actor=actor,
        action="observatory.wave_opened",
        obj=wave,
        is_staff_action=True,
    )
    return wave


@transaction.atomic
def wave_consent_set(
    *, association: Association, actor: User, wave: Wave, consented: bool
) -> WaveConsent:
    """The association says whether its latest diagnostic counts in ``wave``;
    changeable until the wave is published."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.network_id is not None:
        raise ValidationError(_("A network wave counts the consents to the national wave."))
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("This wave is published: its consents are closed."))
    consent, _created = WaveConsent.objects.update_or_create(
        association=association,
        wave=wave,
        defaults={"consented": consented, "changed_by": actor},
    )
    wave_collect(wave=wave, association_ids={association.pk}, tokens=set())
    audit_log(
        association=association,
        actor=actor,
        action="observatory.consent_set",
        obj=consent,
        data={"year": wave.year, "consented": consented},
    )
    return consent


@transaction.atomic
def anonymous_opt_in(*, token: str, region: str = "") -> AnonymousOptIn:
    """The taker of an anonymous diagnostic lets it count (the open wave and the
    next ones, as long as it is under twelve months old)."""
    opt_in, _created = AnonymousOptIn.objects.update_or_create(
        token=token, defaults={"region": region}
    )
    wave = Wave.objects.filter(status=WaveStatus.OPEN, network__isnull=True).first()
    if wave is not None:
        wave_collect(wave=wave, association_ids=set(), tokens={token})
    return opt_in


@transaction.atomic
def anonymous_opt_out(*, token: str) -> None:
    AnonymousOptIn.objects.filter(token=token).delete()
    for link in SnapshotLink.objects.filter(
        anonymous_token=token, wave__status=WaveStatus.OPEN
    ).select_related("snapshot"):
        link.snapshot.delete()


@transaction.atomic
def wave_publish(*, actor: User, wave: Wave) -> Wave:
    """Freeze the snapshots, weight them, compute and store every published table,
    then delete the links: from now on no snapshot can be traced back."""
    _require_staff(actor)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.network_id is not None:
        raise PermissionDenied  # a network's wave is published by its head
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("This wave is already published."))
    if wave.margin_set is None:  # a national wave always has margins (wave_open)
        raise ValidationError(_("Load population margins before opening a wave."))
    wave_collect(wave=wave)
    min_cell = settings.OBSERVATORY_MIN_CELL
    margins = margins_frozen(wave.margin_set)
    results: dict[str, Any] = publication_results(wave=wave, margins=margins, min_cell=min_cell)
    wave.margins = margins
    wave.weighting = results.pop("weighting")
    wave.mapping_version = results.pop("mapping_version")
    wave.results = results
    wave.min_cell = min_cell
    wave.status = WaveStatus.PUBLISHED
    wave.published_at = timezone.now()
    wave.save()
    SnapshotLink.objects.filter(wave=wave).delete()
    audit_log(
        association=None,
        actor=actor,
        action="observatory.wave_published",
        obj=wave,
        data={"n": wave.weighting.get("n")},
        is_staff_action=True,
    )
    return wave
