"""The demo's emails point to the address the demo serves (issue 10 item 14): bin/demo
sets SITE_URL (read by every email built outside a request) from the address it hands
to runserver, whatever SITE_URL the shell had."""

import re
import subprocess
from pathlib import Path

DEMO = Path(__file__).resolve().parents[3] / "bin" / "demo"


def _demo_site_url(**env) -> str:
    """Run the lines of bin/demo that choose the address, in a clean shell."""
    script = DEMO.read_text()
    lines = [
        line for line in script.splitlines() if re.match(r"^(address=|export SITE_URL=)", line)
    ]
    assert len(lines) == 2, "bin/demo no longer sets the address and SITE_URL"
    # The lines come from the repository's own script; bash from the system PATH.
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", "\n".join([*lines, 'echo "$SITE_URL"'])],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_demo_serves_where_its_emails_point():
    script = DEMO.read_text()
    assert 'runserver "$address"' in script
    assert re.search(r"db_worker", script.split("export SITE_URL=")[1])  # after the export
    assert _demo_site_url() == "http://127.0.0.1:8000"


def test_a_site_url_from_the_shell_does_not_leak_into_the_demo():
    assert _demo_site_url(SITE_URL="https://maillon.example.org") == "http://127.0.0.1:8000"


def test_another_port_moves_the_links_too():
    assert _demo_site_url(MAILLON_DEMO_ADDRESS="127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_the_default_site_url_is_the_demo_address():
    """``manage.py runserver`` alone serves 127.0.0.1:8000 too."""
    source = (DEMO.parents[1] / "maillon" / "settings.py").read_text()
    assert 'os.environ.get("SITE_URL", "http://127.0.0.1:8000")' in source
