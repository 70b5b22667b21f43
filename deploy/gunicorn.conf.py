"""gunicorn settings for BMIP, every value from the environment (docs/deploy.md).

    gunicorn -c deploy/gunicorn.conf.py bmip.wsgi

WEB_BIND (default 127.0.0.1:8000; nginx in front), WEB_WORKERS (default 2 x cores + 1),
WEB_THREADS (default 1: the gthread worker with more threads shares one process's database
connections; PDF rendering is CPU-bound, so processes scale better), WEB_TIMEOUT (seconds a
request may take before the worker is killed and replaced, default 30; ticket and statement
PDFs stay well below), WEB_MAX_REQUESTS (recycle a worker after that many requests, default
2000, with jitter so they do not all restart at once).
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    value = int(raw) if raw else default
    if value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    return value


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = _int("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("WEB_TIMEOUT", 30, minimum=5)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 20, minimum=1)
keepalive = _int("WEB_KEEPALIVE", 5)
max_requests = _int("WEB_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = max_requests // 10
# The app's own lines (core.requestid) go to stderr with the request id; gunicorn's access log
# only when asked (nginx keeps one with the same $request_id).
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Behind nginx on the same machine: trust its X-Forwarded-* headers only from loopback.
forwarded_allow_ips = os.environ.get("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "bmip-web"
# Load the application before forking: faster worker starts and a broken settings module
# fails the master at once instead of every worker in a loop. Django opens no database
# connection while loading, so the workers share none.
preload_app = True


def pre_fork(server, worker):
    """Before each worker is forked, move the loaded application (preload_app: some 110,000
    objects) into the collector's permanent generation. A worker's full garbage collection
    then walks only what the worker made itself: 63 ms -> 2 ms measured (docs/scaling.md),
    a pause that otherwise fell on whichever request triggered it (a ticket PDF's p95). The
    frozen pages also stay shared between the workers instead of being copied on write."""
    gc.freeze()
