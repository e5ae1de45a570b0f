import datetime
from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillon.core.render_memo import RenderMemo
from maillon.members.display import display_name
from maillon.members.models import Role

register = template.Library()


def _e(value) -> str:
    """What Django's ``escape`` gives, without a SafeString per value."""
    return escape(str(value), quote=True)


# Dates as the register shows them, per language: many people share a day, and
# Django's date formatting costs more than the rest of a row.
SHORT_DATES = RenderMemo(size=8192)


@receiver(setting_changed)
def _formats_changed(*, setting: str, **kwargs) -> None:
    # As Django's own format cache (tests override formats).
    if setting in ("FORMAT_MODULE_PATH", "SHORT_DATE_FORMAT", "LANGUAGE_CODE", "LANGUAGES"):
        SHORT_DATES.clear()


def _short_date(day: datetime.date, language: str | None) -> str:
    """``date_format(day, "SHORT_DATE_FORMAT")`` escaped, in the active language."""
    return SHORT_DATES.get_or_render(
        (language, day), lambda: _e(date_format(day, "SHORT_DATE_FORMAT"))
    )


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label  # not dict(Role.choices): that builds every choice per row
    except ValueError:
        return value


@register.simple_tag
def register_rows(people, association_slug: str) -> str:
    """The register table's rows, built in Python: 50 rows through the template
    engine cost more CPU than the whole page's SQL (docs/benchmarks.md, issue 16).
    The same markup as a template loop would give. ``people`` are
    ``RegisterRow``s (plain values); every value read from them is escaped, the
    labels once per page."""
    labels = {
        key: _e(text)
        for key, text in (
            ("email", _("Email")),
            ("city", _("City")),
            ("roles", _("Roles")),
            ("fee", _("Fee")),
            ("joined", _("Joined on")),
        )
    }
    # gettext outside the f-strings: xgettext does not read inside them.
    former_text, ok_text, late_text = _("former member"), _("up to date"), _("not up to date")
    former = f' <span class="badge">{_e(former_text)}</span>'
    no_email = _e(_("no email"))
    fee_ok = f'<span class="badge badge-ok">✓ {_e(ok_text)}</span>'
    fee_late = f'<span class="badge badge-warn">✗ {_e(late_text)}</span>'
    detail = reverse("members:detail", args=[association_slug, 0])
    base = _e(detail[: detail.rindex("0/")])
    badges: dict[str, str] = {}  # role code -> its badge, in this page's language
    language = get_language()
    rows = []
    for person in people:
        roles = []
        for code in person.roles:
            badge = badges.get(code)
            if badge is None:
                badge = badges[code] = f'<span class="badge">{_e(role_label(code))}</span>'
            roles.append(badge)
        joined = person.joined_on
        rows.append(
            f'<tr>\n      <th scope="row"><a href="{base}{person.pk}/">'
            f"{_e(person.last_name)} {_e(person.first_name)}</a>"
            f"{former if person.left_on else ''}</th>\n"
            f'      <td class="col-optional" data-label="{labels["email"]}">'
            f"{_e(person.email) if person.email else no_email}</td>\n"
            f'      <td class="col-optional" data-label="{labels["city"]}">'
            f"{_e(person.city)}</td>\n"
            f'      <td data-label="{labels["roles"]}">{"".join(roles)}</td>\n'
            f'      <td data-label="{labels["fee"]}">'
            f"{fee_ok if person.is_up_to_date else fee_late}</td>\n"
            f'      <td class="col-optional" data-label="{labels["joined"]}">'
            f"{_short_date(joined, language) if joined else ''}</td>\n    </tr>"
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - every value and label is escaped


@register.filter
def person_name(user, association=None) -> str:
    """``{{ user|person_name:current_association }}``: a name, the email only when no
    name is known (see ``maillon.members.display.display_name``)."""
    return display_name(user, association)
