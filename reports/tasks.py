"""Background work, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from reports import summaries


@task()
def summaries_refresh_task(year: int) -> None:
    summaries.summaries_refresh_when_requested(year)


@task()
def report_build_task(build_id: int) -> None:
    from reports.year_end.services import report_build_run

    report_build_run(build_id)
