"""A network's own waves: opened and published by the network's head, through the
networks module (which checks the head's role and passes its member associations'
ids: the observatory reads nothing of the networks' models).

A network wave freezes, at publication, the snapshots of the member associations
that consented to the observatory (their consent to the latest national wave, the
question every association is asked at the end of its diagnostic), with the same
snapshots, link deletion and suppression as a national wave; no anonymous
diagnostic (it belongs to no network). Figures are unweighted (a network has no
population margins). Nothing is opened or published for a network of fewer than
``settings.OBSERVATORY_NETWORK_MINIMUM`` member associations. Its figures show on the
network's page only: the national pages and API read national waves only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.core.audit import audit_log

from ..models import SnapshotLink, Wave, WaveStatus
from ..waves.collect import consenting_ids_across_associations, wave_collect
from ..waves.publication import publication_results

if TYPE_CHECKING:
    from maillon.accounts.models import User


def _check_size(member_ids: set[int]) -> None:
    minimum = settings.OBSERVATORY_NETWORK_MINIMUM
    if len(member_ids) < minimum:
        raise ValidationError(
            ngettext(
                "A network wave needs at least %(minimum)s member association.",
                "A network wave needs at least %(minimum)s member associations.",
                minimum,
            )
            % {"minimum": minimum}
        )


@transaction.atomic
def network_wave_open(
    *, actor: User, network_id: int, year: int, member_ids: Iterable[int]
) -> Wave:
    """Open the network's wave of ``year`` (the caller checked the head's role)."""
    _check_size(set(member_ids))
    waves = Wave.objects.filter(network_id=network_id)
    if waves.filter(status=WaveStatus.OPEN).exists():
        raise ValidationError(_("A wave is already open: publish it first."))
    if waves.filter(year=year).exists():
        raise ValidationError(_("The wave of %(year)s already exists.") % {"year": year})
    wave = Wave(year=year, network_id=network_id, margin_set=None, opened_by=actor)
    wave.full_clean()
    wave.save()
    audit_log(
        association=None,
        actor=actor,
        action="observatory.network_wave_opened",
        obj=wave,
        data={"network": network_id, "year": year},
    )
    return wave


@transaction.atomic
def network_wave_publish(
    *, actor: User, network_id: int, wave: Wave, member_ids: Iterable[int]
) -> Wave:
    """Freeze the consenting members' snapshots, compute the tables unweighted, then
    delete the links (the caller checked the head's role)."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.network_id != network_id:
        raise PermissionDenied
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("This wave is already published."))
    members = set(member_ids)
    _check_size(members)
    wave_collect(wave=wave, association_ids=members & consenting_ids_across_associations(wave=wave))
    min_cell = settings.OBSERVATORY_MIN_CELL
    results: dict[str, Any] = publication_results(wave=wave, margins=None, min_cell=min_cell)
    wave.margins = {}
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
        action="observatory.network_wave_published",
        obj=wave,
        data={"network": network_id, "n": wave.weighting.get("n")},
    )
    return wave
