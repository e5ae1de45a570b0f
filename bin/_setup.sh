# Sourced by bin/demo and bin/test: creates .venv and installs Maillon into it when
# pyproject.toml changed since the last install, then compiles the translations.
# Needs only Python >= 3.11 (python3 on PATH, or PYTHON=/path/to/python).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Maillon needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv ..."
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.maillon-installed-$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read() + open("deploy/requirements.txt","rb").read()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
  echo "Installing Maillon and its dependencies ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  # The runtime dependencies at the versions the servers install (deploy/requirements.txt,
  # see bin/lock), so the tests run what production runs; the hashes are left out (pip
  # would then demand one for every development package too).
  sed -E -e '/^[[:space:]]*--hash=/d' -e 's/[[:space:]]*\\$//' deploy/requirements.txt \
    > .venv/deploy-constraints.txt
  .venv/bin/python -m pip install --quiet -c .venv/deploy-constraints.txt -e ".[dev]"
  rm -f .venv/.maillon-installed-*
  touch "$stamp"
fi
MAILLON_DEBUG=1 .venv/bin/python manage.py compiletranslations --verbosity 0
