"""Where each reading child starts (households/dtsen/checking.py): Django first, then the reader.

The fork server imports this module once (`set_forkserver_preload`), so the children it
forks have Django set up and the readers imported already. A child pickles its target by
module: this one sets Django up before importing anything that needs the models, so a
child also starts when the preload could not run.
"""

from django.apps import apps

if not apps.ready:
    import django

    django.setup()

from households.dtsen import checking  # needs the models: after the setup


def child_main(sending, job) -> None:
    checking.child_main(sending, job)
