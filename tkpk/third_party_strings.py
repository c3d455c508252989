"""Strings of installed packages that ship no Indonesian, named here so we translate them.

django-tasks and django-tasks-db mark their labels for translation but have no Indonesian
catalog, so the administrator's task tables would stay in English. `makemessages` only
keeps msgids it finds in our own sources (`make messages` runs it with --no-obsolete),
so each one is written out below; our catalog (LOCALE_PATHS) then translates them
wherever the package uses them. Nothing imports this module. When a package upgrade adds
or renames a label, add it here and run `make messages`.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# django_tasks_db.models.DBTaskResult: model and field names.
TASK_RESULT_MODEL = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]

# django_tasks.base.TaskResultStatus: the status choices, with their "Task" context.
# There is no pgettext_noop; pgettext_lazy is what makemessages extracts with a context.
TASK_RESULT_STATUS = [
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
