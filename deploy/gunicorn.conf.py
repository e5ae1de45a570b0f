"""Gunicorn settings for Maillon, read by deploy/systemd/maillon-web.service
(``gunicorn --config deploy/gunicorn.conf.py``). Everything a server may need to change
comes from its environment file (deploy/maillon.env.example):

  MAILLON_BIND          where to listen, comma separated (default 127.0.0.1:8000); on
                        several app servers, the private address the proxy reaches
  GUNICORN_WORKERS      processes (default 2 x cores + 1, at most 8)
  GUNICORN_THREADS      threads per process (default 1: sync workers)
  GUNICORN_TIMEOUT      seconds before a silent worker is killed and replaced (60)
  FORWARDED_ALLOW_IPS   addresses of the reverse proxy (default 127.0.0.1,::1): only they
                        may say the request came over HTTPS (X-Forwarded-Proto)
  GUNICORN_ACCESS_LOG   1: one line per request in the journal (off: the proxy logs them)
  LOG_LEVEL             warning by default
"""

import os

_cores = os.cpu_count() or 1

wsgi_app = "maillon.wsgi:application"
bind = [address.strip() for address in os.environ.get("MAILLON_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * _cores + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# A request longer than this is a bug or an attack (large imports and exports run as
# background tasks); the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On stop (SIGTERM), requests in flight get this long; maillon-web.service's
# TimeoutStopSec (30 s) is longer, then every process left in the unit is killed.
graceful_timeout = 25
# Connections kept open by the proxy between two requests.
keepalive = 5
# Workers are replaced now and then, so slow memory growth never adds up.
max_requests = 2000
max_requests_jitter = 200

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
# The proxy logs every request already. GUNICORN_ACCESS_LOG=1 adds the app's own line
# (client, request, status, size, time in µs) to the journal, to find slow pages.
if os.environ.get("GUNICORN_ACCESS_LOG", "0").strip().lower() in {"1", "true", "yes"}:
    accesslog = "-"
    access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus'
proc_name = "maillon-web"
