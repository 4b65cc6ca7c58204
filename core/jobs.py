"""Background file jobs as the lower layers see them: a registry, no domain imports.

A page that makes a file too slowly for a web request (the county workbook of a county) asks
``start_job``; the page layer's job app registers the starter (queues a job the user follows on
我的导出) and runs the writer registered for the job's kind: ``write(out, user, params) -> rows``.
"""

STARTERS = {}
WRITERS = {}


def register_starter(start):
    """``start(request, *, kind, params, filename, title, total) -> URL of the page following the job``."""
    STARTERS["start"] = start


def register_writer(kind, write):
    WRITERS[kind] = write


def can_start():
    return "start" in STARTERS


def start_job(request, *, kind, params, filename, title, total=0):
    return STARTERS["start"](request, kind=kind, params=params, filename=filename, title=title, total=total)
