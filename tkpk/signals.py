"""Signals between apps that must not import each other."""

from django.dispatch import Signal

# Sent by a service after it changed what the dashboard's summaries count: the register (a
# DTSEN load), a program or its enrolments, an agency's action plan or quarterly report.
# Sent inside the writing transaction; the receiver (reports/apps.py) acts once it commits.
# Keyword argument `years`: the years whose figures changed; None for a change of the
# register, which moves this year's and last year's figures (graduation is measured by a
# later load). Partners' figures are read as they are and need no signal.
figures_changed = Signal()
