"""gunicorn settings for production and for bench/load.py: ``gunicorn -c sanzhang/gunicorn_conf.py``.

The pages are CPU-bound in Python (queries take a few ms), so one synchronous worker per core plus
one keeps both cores busy while a worker waits on PostgreSQL; more workers only queue in memory.
"""

import multiprocessing
import os

wsgi_app = "sanzhang.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A county workbook or a large import runs as a background job (db_worker), never in a request:
# a request past 60 s is a fault, and the worker is replaced.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# Import the app once before forking: workers start at once and share memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
