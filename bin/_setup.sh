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
stamp=".venv/.maillon-installed-$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
  echo "Installing Maillon and its dependencies ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.maillon-installed-*
  touch "$stamp"
fi
MAILLON_DEBUG=1 .venv/bin/python manage.py compiletranslations --verbosity 0
