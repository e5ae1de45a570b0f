"""Demo accounts: the instance superuser, one account per demo email (all with the
published demo password), and the table of logins printed at the end."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from maillon.accounts.models import User
from maillon.demo.builders.common import DEMO_PASSWORD, DemoRun
from maillon.members.roles.selectors import my_associations
from maillon.network.models import NetworkRole

SUPERUSER_EMAIL = "admin@demo.maillon.test"


def ensure_user(run: DemoRun, email: str, full_name: str, **extra) -> User:
    """The account of ``email``, created with a verified address if there is none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            full_name=full_name,
            language="fr",
            password=run.password_hash,
            **extra,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def ensure_superuser(run: DemoRun) -> None:
    if not User.objects.filter(email__iexact=SUPERUSER_EMAIL).exists():
        ensure_user(run, SUPERUSER_EMAIL, "Équipe Maillon (démo)", is_staff=True, is_superuser=True)
        run.added(f"+ instance superuser {SUPERUSER_EMAIL}")


def print_logins(run: DemoRun, emails: list[str]) -> None:
    """The superuser, then the accounts of ``emails`` that exist, with where they belong."""
    rows = [("email", "password", "where: roles")]
    for email in [SUPERUSER_EMAIL, *(e for e in emails if e != SUPERUSER_EMAIL)]:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            continue
        places = [
            f"{association.slug}: {', '.join(roles)}"
            for association, roles in my_associations(user=user)
        ]
        places += [
            f"network {role.network.slug}: {role.role}"
            for role in NetworkRole.objects.filter(user=user).select_related("network")
        ]
        if user.is_superuser:
            places.insert(0, "instance superuser (staff)")
        rows.append((email, DEMO_PASSWORD, " | ".join(places) or "-"))
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    run.stdout.write("")
    run.stdout.write(run.style.MIGRATE_HEADING("Demo logins"))
    for n, (email, password, where) in enumerate(rows):
        line = f"  {email.ljust(width[0])}  {password.ljust(width[1])}  {where}"
        run.stdout.write(run.style.MIGRATE_LABEL(line) if n == 0 else line)
