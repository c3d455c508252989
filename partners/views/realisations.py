"""PLACEHOLDER: replaced by the engineer building these pages (issue 9)."""

from tkpk.models import Role
from tkpk.permissions import role_required


@role_required(Role.ADMIN)
def realisation_create(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def realisation_list(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def realisation_detail(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def realisation_update(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def realisation_review(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def evidence_download(request, **kwargs):
    raise NotImplementedError
