"""Scaffold: the helper building these pages replaces it."""


def report_detail(request, **kwargs):
    raise NotImplementedError


def progress_edit(request, **kwargs):
    raise NotImplementedError


def report_submit(request, **kwargs):
    raise NotImplementedError


def report_review(request, **kwargs):
    raise NotImplementedError


def progress_evidence(request, **kwargs):
    raise NotImplementedError
