"""Background work, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from households import services as register_services
from households.dtsen import services


@task()
def check_dtsen_task(dtsen_import_id: int) -> None:
    services.dtsen_import_check(dtsen_import_id=dtsen_import_id)


@task()
def import_dtsen_task(dtsen_import_id: int) -> None:
    services.dtsen_import_run(dtsen_import_id=dtsen_import_id)


@task()
def build_register_export_task(export_id: int) -> None:
    register_services.register_export_build(export_id=export_id)
