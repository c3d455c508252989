"""Signals between apps that must not import each other."""

from django.dispatch import Signal

# Sent by a service after it changed what the dashboard counts: the register (a DTSEN
# load), enrolments, a partner's realisation or an agency's quarterly progress. Sent
# inside the writing transaction; the receiver (reports/apps.py) acts once it commits.
# Keyword argument: `year`, the year whose figures changed (None: the current year).
figures_changed = Signal()
