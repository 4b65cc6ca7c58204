"""The background task (django-tasks API, queued in the database, run by ``manage.py db_worker``)."""

from django_tasks import task

from exports.services import run_export


@task()
def export_ledger(job_id):
    run_export(job_id)
