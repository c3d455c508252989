"""Background work, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from programs import uploads


@task()
def check_enrollment_upload_task(upload_id: int) -> None:
    uploads.enrollment_upload_check(upload_id=upload_id)


@task()
def enroll_upload_task(upload_id: int) -> None:
    uploads.enrollment_upload_run(upload_id=upload_id)
