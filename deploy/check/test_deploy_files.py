"""The files of deploy/ say what the rest of the project says: every scheduled job of
the README has its timer, the units stop whole process groups, the install script
knows every path the units use, the environment template names every setting."""

import configparser
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
TARGET = "maillon-timers.target"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(SYSTEMD / name, encoding="utf-8")
    return parser


def readme_scheduled_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Scheduled jobs", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^manage\.py (\w+)", section, re.M)


def timers() -> dict[str, str]:
    """Timer file name -> the management command its job runs."""
    found = {}
    for path in sorted(SYSTEMD.glob("*.timer")):
        target_unit = unit(path.name)["Timer"].get("Unit", "")
        match = re.fullmatch(r"maillon-job@(\w+)\.service", target_unit)
        if match:
            found[path.name] = match.group(1)
    return found


def test_the_readme_lists_the_scheduled_jobs():
    assert len(readme_scheduled_commands()) >= 5


@pytest.mark.parametrize("command", readme_scheduled_commands())
def test_every_scheduled_job_of_the_readme_has_a_timer_started_by_the_target(command):
    by_command = {job: name for name, job in timers().items()}
    assert command in by_command, f"no timer in deploy/systemd runs manage.py {command}"
    wanted = unit(TARGET)["Unit"]["Wants"].split()
    assert by_command[command] in wanted, f"{TARGET} does not start {by_command[command]}"


def test_every_timer_runs_an_existing_command_daily_and_catches_up():
    commands = get_commands()
    for name, command in timers().items():
        assert command in commands, f"{name} runs manage.py {command}, which does not exist"
        timer = unit(name)["Timer"]
        assert timer["OnCalendar"].startswith("*-*-* "), f"{name} is not daily"
        assert timer.get("Persistent") == "true", f"{name}: a missed run would be lost"


def test_the_target_starts_only_timers_that_exist():
    for name in unit(TARGET)["Unit"]["Wants"].split():
        assert (SYSTEMD / name).exists(), f"{TARGET} wants {name}, which is not shipped"


def test_stopping_the_web_kills_its_whole_control_group():
    service = unit("maillon-web.service")["Service"]
    assert service["KillMode"] == "control-group"
    assert service.get("SendSIGKILL", "yes") == "yes"
    graceful = re.search(
        r"^graceful_timeout = (\d+)", (DEPLOY / "gunicorn.conf.py").read_text(), re.M
    )
    assert int(service["TimeoutStopSec"]) > int(graceful.group(1)), (
        "systemd must wait longer than gunicorn's graceful timeout before SIGKILL"
    )


@pytest.mark.parametrize("name", ["maillon-worker.service", "maillon-worker-db.service"])
def test_the_workers_end_with_their_unit(name):
    service = unit(name)["Service"]
    # mixed: SIGTERM to the worker (warm shutdown), SIGKILL to the whole group at the end.
    assert service["KillMode"] in {"mixed", "control-group"}
    assert service.get("SendSIGKILL", "yes") == "yes"


def test_the_rq_worker_uses_the_job_class_of_django_tasks():
    exec_start = unit("maillon-worker.service")["Service"]["ExecStart"]
    assert "rqworker --job-class django_tasks_rq.Job" in exec_start


def test_the_install_script_rewrites_every_path_the_units_use():
    install = (DEPLOY / "bin" / "install").read_text(encoding="utf-8")
    rewritten = set(re.findall(r'-e "s#(/[^#]+)#', install))
    used = set()
    for path in SYSTEMD.iterdir():
        used |= set(re.findall(r"(/(?:srv|etc|var)/[\w.@/-]+)", path.read_text()))
    for path in used:
        assert any(path.startswith(prefix) for prefix in rewritten), (
            f"{path} (in deploy/systemd) is not rewritten by deploy/bin/install"
        )


def test_the_environment_template_names_every_setting():
    template = (DEPLOY / "maillon.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", template, re.M))
    read = set()
    for source in (ROOT / "maillon" / "settings.py", DEPLOY / "gunicorn.conf.py"):
        read |= set(
            re.findall(
                r'(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?"([A-Z][A-Z0-9_]+)"',
                source.read_text(encoding="utf-8"),
            )
        )
    missing = sorted(read - named - {"MAILLON_TESTING"})
    assert not missing, f"add to deploy/maillon.env.example (with a comment): {missing}"
