"""Sessions move from Django's table to ``UserSession`` (accounts/sessions.py): the
live ones are copied, so nobody is signed out by the upgrade, then Django's table is
emptied (``clearsessions`` no longer looks at it; no session data is left behind). The session data is
signed with the store's class name, the same for both stores; only the recorded
backend changes name (the project's backends wrap Django's and allauth's)."""

from django.db import migrations
from django.utils import timezone

RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "maillon.accounts.sessions.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "maillon.accounts.sessions.AuthenticationBackend"
    ),
}
BATCH = 2000


def copy_live_sessions(apps, schema_editor):
    from django.contrib.auth import BACKEND_SESSION_KEY

    from maillon.accounts.sessions import SessionStore, user_id_in

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "UserSession")
    User = apps.get_model("accounts", "User")
    store = SessionStore()

    def save(rows):
        # The user column names only users that exist (a session may outlive its user).
        known = set(
            User.objects.filter(pk__in={r.user_id for r in rows}).values_list("pk", flat=True)
        )
        for row in rows:
            row.user_id = row.user_id if row.user_id in known else None
        New.objects.bulk_create(rows, ignore_conflicts=True)

    rows = []
    for old in Old.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=BATCH):
        data = store.decode(old.session_data)
        if not data:
            continue  # unreadable (another SECRET_KEY): it was no session anyway
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in RENAMED_BACKENDS:
            data[BACKEND_SESSION_KEY] = RENAMED_BACKENDS[backend]
        rows.append(
            New(
                session_key=old.session_key,
                session_data=store.encode(data),
                expire_date=old.expire_date,
                user_id=user_id_in(data),
            )
        )
        if len(rows) >= BATCH:
            save(rows)
            rows = []
    save(rows)
    Old.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_live_sessions, migrations.RunPython.noop)]
