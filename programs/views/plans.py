"""Scaffold: the helper building these pages replaces it."""


def plan_list(request, **kwargs):
    raise NotImplementedError


def plan_create(request, **kwargs):
    raise NotImplementedError


def plan_detail(request, **kwargs):
    raise NotImplementedError


def activity_create(request, **kwargs):
    raise NotImplementedError


def activity_update(request, **kwargs):
    raise NotImplementedError


def activity_delete(request, **kwargs):
    raise NotImplementedError


def plan_submit(request, **kwargs):
    raise NotImplementedError


def plan_review(request, **kwargs):
    raise NotImplementedError


def plan_revise(request, **kwargs):
    raise NotImplementedError
