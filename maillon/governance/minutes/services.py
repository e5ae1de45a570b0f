"""Minutes (procès-verbal) of an assembly: generated from what the platform recorded
(attendance, proxies, quorum, polls and their results), then edited by the bureau as
free text. Approval belongs to the assembly's lifecycle (``assembly_approve_minutes``)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.members.models import Person, Role
from maillon.members.permissions import Perm, check_permission

from .. import formatting
from ..assemblies.quorum import compute_quorum
from ..models import (
    AgendaItem,
    Assembly,
    AssemblyMode,
    Attendance,
    AttendanceMode,
    Minutes,
    Poll,
    PollStatus,
    Proxy,
    RollEntry,
)
from ..polls import results as poll_results
from ..polls import ties


@dataclass(frozen=True)
class AttendanceFigures:
    """Head counts (what the minutes list) and voting weights (what the quorum
    counts; equal to the head counts unless the association weights votes)."""

    eligible: int  # roll entries that may vote
    in_room: int
    online: int
    represented: int  # absent members who gave an active proxy
    eligible_weight: int
    present_weight: int
    represented_weight: int

    @property
    def present(self) -> int:
        return self.in_room + self.online

    @property
    def present_or_represented(self) -> int:
        return self.present + self.represented


def attendance_figures(*, assembly: Assembly) -> AttendanceFigures:
    voters = RollEntry.objects.filter(assembly=assembly, may_vote=True)
    eligible = voters.aggregate(n=Count("id"), w=Sum("weight"))
    by_mode = dict.fromkeys(AttendanceMode.values, 0)
    present_weight = 0
    for mode, weight in Attendance.objects.filter(
        assembly=assembly, entry__may_vote=True
    ).values_list("mode", "entry__weight"):
        by_mode[mode] = by_mode.get(mode, 0) + 1
        present_weight += weight
    present_ids = Attendance.objects.filter(assembly=assembly).values("entry_id")
    # As for the quorum: a proxy counts when its holder is present (and its giver
    # is not).
    represented = (
        Proxy.objects.filter(
            assembly=assembly,
            revoked_at__isnull=True,
            giver__may_vote=True,
            holder_id__in=present_ids,
        )
        .exclude(giver_id__in=present_ids)
        .aggregate(n=Count("id"), w=Sum("giver__weight"))
    )
    return AttendanceFigures(
        eligible=eligible["n"],
        in_room=by_mode[AttendanceMode.ROOM],
        online=by_mode[AttendanceMode.ONLINE],
        represented=represented["n"],
        eligible_weight=eligible["w"] or 0,
        present_weight=present_weight,
        represented_weight=represented["w"] or 0,
    )


def _quorum_statement(*, assembly: Assembly, figures: AttendanceFigures) -> str:
    statutes = assembly.association.statutes
    fraction = (
        assembly.quorum_fraction
        if assembly.quorum_fraction is not None
        else statutes.quorum_fraction
    )
    status = compute_quorum(
        eligible_weight=figures.eligible_weight,
        present_weight=figures.present_weight,
        represented_weight=figures.represented_weight,
        fraction=fraction,
        second_convocation_without_quorum=statutes.second_convocation_without_quorum,
        is_second_convocation=assembly.is_second_convocation,
    )
    values = {
        "count": formatting.count(status.counted),
        "required": formatting.count(status.required),
        "eligible": formatting.count(figures.eligible_weight),
    }
    if status.not_required:
        return (
            ngettext(
                "No quorum is required (%(count)s vote present or represented).",
                "No quorum is required (%(count)s votes present or represented).",
                int(status.counted),
            )
            % values
        )
    if status.reached:
        return (
            ngettext(
                "The quorum is reached: %(count)s vote present or represented, "
                "%(required)s required out of %(eligible)s.",
                "The quorum is reached: %(count)s votes present or represented, "
                "%(required)s required out of %(eligible)s.",
                int(status.counted),
            )
            % values
        )
    return (
        ngettext(
            "The quorum is NOT reached: %(count)s vote present or represented, "
            "%(required)s required out of %(eligible)s.",
            "The quorum is NOT reached: %(count)s votes present or represented, "
            "%(required)s required out of %(eligible)s.",
            int(status.counted),
        )
        % values
    )


def _labels(poll: Poll, result: dict) -> dict[str, str]:
    """What people read for each name the count used: option labels (results frozen
    before the engine named options by label used ids), yes/no/abstention."""
    labels = {str(o.pk): o.label for o in poll.options.all()}
    for option in result.get("options") or []:
        labels[str(option.get("key"))] = option.get("label")
        if option.get("name"):
            labels[option["name"]] = option.get("label")
    labels.update({"yes": _("Yes"), "no": _("No"), "abstain": _("Abstention")})
    return labels


def _final_counts(poll: Poll, result: dict) -> list[tuple[str, object]]:
    """The last round's counts, in the poll's own order (jsonb keeps no key order)."""
    total = result.get("total")
    rounds = (total if isinstance(total, dict) else result).get("rounds") or []
    counts = result.get("counts") or (rounds[-1].get("counts") if rounds else None) or {}
    order = ["yes", "no", "abstain"]
    for option in result.get("options") or []:
        order += [str(option.get("name") or option.get("key")), str(option.get("key"))]
    order += [str(o.pk) for o in poll.options.all()]
    keys = sorted(counts, key=lambda k: (order.index(str(k)) if str(k) in order else 999, k))
    return [(key, counts[key]) for key in keys]


def _count_text(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        return formatting.decimal(value, 2)
    return formatting.count(int(value) if isinstance(value, float) else value)


def _votes_line(poll: Poll, result: dict, label) -> str | None:
    counts = _final_counts(poll, result)
    if not counts:
        return None
    shares = result.get("percentages") or {}
    items = []
    for key, value in counts:
        text = _count_text(value)
        if shares.get(key):
            text = f"{text} ({formatting.percent(shares[key])})"
        items.append(formatting.labelled(label(key), text))
    return _("Votes: %(counts)s.") % {"counts": formatting.listing(items)}


def _poll_result_lines(poll: Poll) -> list[str]:
    """The result of a poll, read loosely from the tally engine's JSON."""
    if poll.status not in (PollStatus.CLOSED, PollStatus.PUBLISHED) or not poll.result:
        return [_("Not voted.")]
    result = poll.result
    labels = _labels(poll, result)

    def label(key: object) -> str:
        return labels.get(str(key), str(key))

    lines = []
    if "adopted" in result:
        lines.append(_("Adopted.") if result["adopted"] else _("Rejected."))
    winners = result.get("winners") or []
    if winners and "adopted" not in result:
        lines.append(_("Elected or chosen: %(names)s.") % {"names": ", ".join(map(label, winners))})
    votes = _votes_line(poll, result, label)
    if votes:
        lines.append(votes)
    if "ballots" in result:
        lines.append(
            _("Ballots: %(ballots)s, of which blank: %(blank)s.")
            % {
                "ballots": formatting.count(result["ballots"]),
                "blank": formatting.count(result.get("blank", 0)),
            }
        )
    lines += _tie_lines(poll, result, label)
    return lines or [_("Result recorded.")]


def _tie_lines(poll: Poll, result: dict, label) -> list[str]:
    command = None
    if result.get("tie_break") and result.get("options") and result["options"][0].get("name"):
        # Results frozen before options were named by label cannot be re-counted as such.
        spec = poll_results.spec_for_poll(poll)
        command = poll_results.tally_command(spec, result, poll_results.ballots_filename(poll.pk))
    lines = ties.tie_lines(result, label, command=command)
    if not lines and result.get("tie"):
        lines.append(_("There was a tie."))
    return lines


def _local(assembly: Assembly, value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, zoneinfo.ZoneInfo(assembly.association.time_zone))


def minutes_text(*, assembly: Assembly) -> str:
    """The generated text of the minutes (in the active language)."""
    association = assembly.association
    starts = _local(assembly, assembly.starts_at)
    figures = attendance_figures(assembly=assembly)
    lines = [
        _("Minutes of the %(kind)s of %(association)s")
        % {"kind": assembly.get_kind_display().lower(), "association": association.name},
        "",
        assembly.title,
        "",
        _("Date: %(date)s at %(time)s (%(tz)s).")
        % {
            "date": formats.date_format(starts, "DATE_FORMAT"),
            "time": formats.time_format(starts, "TIME_FORMAT"),
            "tz": association.time_zone,
        },
    ]
    if assembly.mode != AssemblyMode.ONLINE and assembly.place:
        lines.append(_("Place: %(place)s.") % {"place": assembly.place})
    lines.append(_("Mode: %(mode)s.") % {"mode": assembly.get_mode_display()})
    if assembly.is_second_convocation:
        lines.append(_("Meeting held on second convocation."))
    lines += [
        "",
        _("Attendance"),
        _("Members with a vote: %(count)s.") % {"count": formatting.count(figures.eligible)},
        _("Present in the room: %(count)s.") % {"count": formatting.count(figures.in_room)},
        _("Present online: %(count)s.") % {"count": formatting.count(figures.online)},
        _("Represented by proxy: %(count)s.") % {"count": formatting.count(figures.represented)},
        _("Present or represented: %(count)s.")
        % {"count": formatting.count(figures.present_or_represented)},
        _quorum_statement(assembly=assembly, figures=figures),
        "",
        _("Agenda and resolutions"),
    ]
    items = list(AgendaItem.objects.filter(assembly=assembly).prefetch_related("polls__options"))
    item_ids = {item.pk for item in items}
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {item.title}"]
        if item.description:
            lines.append(item.description)
        polls = list(item.polls.all())
        if not polls:
            lines.append(_("No vote on this item."))
        for poll in polls:
            lines += _poll_lines(poll)
    loose = [
        p
        for p in Poll.objects.filter(assembly=assembly).prefetch_related("options")
        if p.agenda_item_id not in item_ids
    ]
    if loose:
        lines += ["", _("Other votes")]
        for poll in loose:
            lines += _poll_lines(poll)
    if not items and not loose:
        lines.append(_("No item on the agenda."))
    lines += [
        "",
        _("The agenda being exhausted, the meeting was closed."),
    ]
    return "\n".join(lines)


def _poll_lines(poll: Poll) -> list[str]:
    lines = [_("Resolution: %(title)s") % {"title": poll.title}]
    if poll.resolution:
        lines.append(poll.resolution)
    return lines + ["  " + line for line in _poll_result_lines(poll)]


def default_signatories(*, association: Association) -> tuple[str, str]:
    """Names of the current president and secretary (or "" when nobody holds the role)."""
    names = {}
    for role in (Role.PRESIDENT, Role.SECRETARY):
        person = (
            Person.objects.filter(
                association=association, left_on__isnull=True, role_assignments__role=role
            )
            .order_by("last_name", "first_name", "id")
            .first()
        )
        names[role] = person.full_name if person else ""
    return names[Role.PRESIDENT], names[Role.SECRETARY]


def _ensure_editable(minutes: Minutes | None) -> None:
    if minutes is not None and minutes.approved_at is not None:
        raise ValidationError(_("These minutes have been approved and can no longer change."))


@transaction.atomic
def minutes_generate(*, association: Association, actor: User, assembly: Assembly) -> Minutes:
    """Create the minutes of ``assembly`` from its records, or regenerate their text
    (the signatories already entered are kept). Approved minutes never change."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    if assembly.association_id != association.pk:
        raise ValidationError(_("This assembly belongs to another association."))
    minutes = Minutes.objects.select_for_update().filter(assembly=assembly).first()
    _ensure_editable(minutes)
    body = minutes_text(assembly=assembly)
    if minutes is None:
        president, secretary = default_signatories(association=association)
        minutes = Minutes(
            association=association,
            assembly=assembly,
            body=body,
            president_name=president,
            secretary_name=secretary,
        )
        minutes.full_clean()
        minutes.save()
        action = "minutes.generate"
    else:
        minutes.body = body
        minutes.full_clean()
        minutes.save(update_fields=["body", "updated_at"])
        action = "minutes.regenerate"
    audit_log(association=association, actor=actor, action=action, obj=minutes)
    return minutes


@transaction.atomic
def minutes_update(
    *,
    association: Association,
    actor: User,
    minutes: Minutes,
    body: str,
    president_name: str,
    secretary_name: str,
) -> Minutes:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    if minutes.association_id != association.pk:
        raise ValidationError(_("These minutes belong to another association."))
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    _ensure_editable(minutes)
    if not body.strip():
        raise ValidationError({"body": _("The minutes cannot be empty.")})
    minutes.body = body
    minutes.president_name = president_name.strip()
    minutes.secretary_name = secretary_name.strip()
    minutes.full_clean()
    minutes.save(update_fields=["body", "president_name", "secretary_name", "updated_at"])
    audit_log(association=association, actor=actor, action="minutes.update", obj=minutes)
    return minutes
