"""One web process of ``test_lockout_across_processes``: signs in with the given
attempts through allauth's login page and prints, as JSON, what each attempt met:
"signed_in", "refused" (wrong password) or "locked" (the lockout's message).

    python -m maillon.accounts.tests.login_worker START_FILE '[["email", "password"], ...]'


Every process waits for START_FILE to exist, so that they all run at the same time.
Settings and database come from DJANGO_SETTINGS_MODULE and DATABASE_URL."""

import json
import os
import sys
import time


def main() -> None:
    start_file, attempts = sys.argv[1], json.loads(sys.argv[2])
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # as under pytest: the test client's host is allowed
    from django.urls import reverse

    client = Client()
    client.get(reverse("account_login"))  # the middleware chain is built before the race
    deadline = time.monotonic() + 60
    while not os.path.exists(start_file) and time.monotonic() < deadline:
        time.sleep(0.01)
    outcomes = []
    for email, password in attempts:
        client.cookies.clear()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        if response.status_code == 302:
            outcomes.append("signed_in")
        elif response.status_code != 200:
            outcomes.append(f"error {response.status_code}")
        elif "Trop de tentatives de connexion" in response.content.decode():
            outcomes.append("locked")
        else:
            outcomes.append("refused")
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
