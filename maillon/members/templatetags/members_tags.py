from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from maillon.members.display import display_name
from maillon.members.models import Role

register = template.Library()


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
    The same markup as a template loop would give; every value is escaped."""
    labels = {
        "email": _("Email"),
        "city": _("City"),
        "roles": _("Roles"),
        "fee": _("Fee"),
        "joined": _("Joined on"),
    }
    former = format_html(' <span class="badge">{}</span>', _("former member"))
    no_email = _("no email")
    fee_ok = format_html('<span class="badge badge-ok">✓ {}</span>', _("up to date"))
    fee_late = format_html('<span class="badge badge-warn">✗ {}</span>', _("not up to date"))
    detail = reverse("members:detail", args=[association_slug, 0])
    base = detail[: detail.rindex("0/")]
    rows = []
    for person in people:
        roles = format_html_join(
            "",
            '<span class="badge">{}</span>',
            ((role_label(ra.role),) for ra in person.role_assignments.all()),
        )
        rows.append(
            format_html(
                '<tr>\n      <th scope="row"><a href="{}{}/">{} {}</a>{}</th>\n'
                '      <td class="col-optional" data-label="{}">{}</td>\n'
                '      <td class="col-optional" data-label="{}">{}</td>\n'
                '      <td data-label="{}">{}</td>\n'
                '      <td data-label="{}">{}</td>\n'
                '      <td class="col-optional" data-label="{}">{}</td>\n    </tr>',
                base,
                person.pk,
                person.last_name,
                person.first_name,
                former if person.left_on else "",
                labels["email"],
                person.email or no_email,
                labels["city"],
                person.city,
                labels["roles"],
                roles,
                labels["fee"],
                fee_ok if person.is_up_to_date else fee_late,
                labels["joined"],
                date_format(person.joined_on, "SHORT_DATE_FORMAT") if person.joined_on else "",
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - every part went through format_html


@register.filter
def person_name(user, association=None) -> str:
    """``{{ user|person_name:current_association }}``: a name, the email only when no
    name is known (see ``maillon.members.display.display_name``)."""
    return display_name(user, association)
