"""Background work, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from households.dtsen import services


@task()
def check_dtsen_task(dtsen_import_id: int) -> None:
    services.dtsen_import_check(dtsen_import_id=dtsen_import_id)


@task()
def import_dtsen_task(dtsen_import_id: int) -> None:
    services.dtsen_import_run(dtsen_import_id=dtsen_import_id)
