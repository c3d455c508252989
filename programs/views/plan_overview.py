"""Scaffold: the helper building these pages replaces it."""


def plan_overview(request, **kwargs):
    raise NotImplementedError


def reminder_send(request, **kwargs):
    raise NotImplementedError


def deadline_edit(request, **kwargs):
    raise NotImplementedError


def plans_export(request, **kwargs):
    raise NotImplementedError
