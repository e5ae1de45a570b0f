"""Building a wave's snapshots from consenting associations and opted-in anonymous
diagnostics, without counting anyone twice (the links)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.strategy.diagnostic.selectors import (
    FrozenAnswers,
    completed_anonymous_diagnostics_for_token,
    latest_completed_diagnostics_across_associations,
)

from ..models import AnonymousOptIn, Snapshot, SnapshotLink, Wave, WaveConsent

LOOKBACK = timedelta(days=365)
PROFILE_QUESTIONS = {"size_band": "profile.size_band", "budget_band": "profile.budget_band"}


def consenting_ids_across_associations(*, wave: Wave) -> set[int]:
    """The associations whose diagnostic counts in ``wave``: its own consents, or for
    a network wave the consents to the latest national wave."""
    if wave.network_id is not None:
        national = Wave.objects.filter(network__isnull=True).order_by("-year").first()
        if national is None:
            return set()
        wave = national
    with scopes_disabled():
        return set(
            WaveConsent.objects.filter(wave=wave, consented=True).values_list(
                "association_id", flat=True
            )
        )


def _profile(frozen: FrozenAnswers, *, region: str, sector: str) -> dict[str, Any]:
    answers = frozen.answers
    return {
        "size_band": str(answers.get(PROFILE_QUESTIONS["size_band"]) or "unknown"),
        "budget_band": str(answers.get(PROFILE_QUESTIONS["budget_band"]) or "unknown"),
        "sector": str(answers.get("profile.sector") or sector or "unknown"),
        "region": region or "unknown",
    }


def _snapshot(wave: Wave, frozen: FrozenAnswers, profile: dict[str, Any]) -> Snapshot:
    return Snapshot(
        wave=wave,
        questionnaire_version=frozen.questionnaire_version,
        answers=frozen.answers,
        **profile,
    )


def _sync(
    wave: Wave,
    wanted: dict[Any, tuple[FrozenAnswers, dict[str, Any]]],
    links: dict[Any, SnapshotLink],
    link_field: str,
) -> None:
    """Replace the snapshots whose source changed, delete those no longer wanted."""
    stale = [
        link.snapshot_id
        for key, link in links.items()
        if key not in wanted or wanted[key][0].completed_at != link.source_updated_at
    ]
    Snapshot.objects.filter(pk__in=stale).delete()
    kept = {key for key, link in links.items() if link.snapshot_id not in stale}
    new = [(key, *value) for key, value in wanted.items() if key not in kept]
    snapshots = Snapshot.objects.bulk_create(
        [_snapshot(wave, frozen, profile) for _, frozen, profile in new], batch_size=1000
    )
    SnapshotLink.objects.bulk_create(
        [
            SnapshotLink(
                wave=wave,
                snapshot=snapshot,
                source_updated_at=frozen.completed_at,
                **{link_field: key},
            )
            for snapshot, (key, frozen, _) in zip(snapshots, new, strict=True)
        ],
        batch_size=1000,
    )


def wave_collect(
    *, wave: Wave, association_ids: set[int] | None = None, tokens: set[str] | None = None
) -> None:
    """Bring the open wave's snapshots up to date, for the given associations and
    tokens (all when ``None``)."""
    since = timezone.now() - LOOKBACK
    if association_ids is None or association_ids:
        _collect_associations(wave, since, association_ids)
    if wave.network_id is not None:
        return  # an anonymous diagnostic belongs to no network
    if tokens is None or tokens:
        _collect_anonymous(wave, since, tokens)


def _collect_associations(wave: Wave, since, only: set[int] | None) -> None:
    consenting = consenting_ids_across_associations(wave=wave)
    if only is not None:
        consenting &= only
    diagnostics = latest_completed_diagnostics_across_associations(
        association_ids=consenting, since=since
    )
    places = {
        pk: (region or "", sector or "")
        for pk, region, sector in Association.objects.filter(pk__in=diagnostics).values_list(
            "pk", "department__region__code", "sector__code"
        )
    }
    wanted = {
        pk: (frozen, _profile(frozen, region=places[pk][0], sector=places[pk][1]))
        for pk, frozen in diagnostics.items()
        if pk in places
    }
    links = SnapshotLink.objects.filter(wave=wave, association__isnull=False)
    if only is not None:
        links = links.filter(association_id__in=only)
    _sync(wave, wanted, {link.association_id: link for link in links}, "association_id")


def _collect_anonymous(wave: Wave, since, only: set[str] | None) -> None:
    opt_ins = AnonymousOptIn.objects.all()
    if only is not None:
        opt_ins = opt_ins.filter(token__in=only)
    regions = dict(opt_ins.values_list("token", "region"))
    diagnostics = completed_anonymous_diagnostics_for_token(tokens=regions, since=since)
    wanted = {
        token: (frozen, _profile(frozen, region=regions[token], sector=""))
        for token, frozen in diagnostics.items()
    }
    links = SnapshotLink.objects.filter(wave=wave).exclude(anonymous_token="")
    if only is not None:
        links = links.filter(anonymous_token__in=only)
    _sync(wave, wanted, {link.anonymous_token: link for link in links}, "anonymous_token")
