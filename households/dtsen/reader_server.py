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


def child_main(sending, job) -> None:
    from households.dtsen.checking import child_main as run

    run(sending, job)
