"""Background jobs as the lower layers see them: registries, no domain imports.

A page that makes a file too slowly for a web request (the county workbook of a county) asks
``start_job``; the page layer's job app registers the starter (queues a job the user follows on
我的导出) and runs the writer registered for the job's kind: ``write(out, user, params) -> rows``.
Work that makes no file (a large import's preview or confirm) registers a runner and asks
``run_in_background``: the task backend (``db_worker``; run at once by the immediate backend)
calls ``run(**params)``, which keeps its own status for its own page.
"""

from django_tasks import task

STARTERS = {}
WRITERS = {}
RUNNERS = {}


def register_starter(start):
    """``start(request, *, kind, params, filename, title, total) -> URL of the page following the job``."""
    STARTERS["start"] = start


def register_writer(kind, write):
    WRITERS[kind] = write


def can_start():
    return "start" in STARTERS


def start_job(request, *, kind, params, filename, title, total=0):
    return STARTERS["start"](request, kind=kind, params=params, filename=filename, title=title, total=total)


def register_runner(kind, run):
    RUNNERS[kind] = run


def run_in_background(kind, **params):
    """Queue ``RUNNERS[kind](**params)``; the params must be JSON (ids and strings)."""
    run_job.enqueue(kind, params)


@task()
def run_job(kind, params):
    RUNNERS[kind](**params)
