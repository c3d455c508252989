"""PLACEHOLDER: replaced by the engineer building these pages (issue 9)."""

from tkpk.models import Role
from tkpk.permissions import role_required


@role_required(Role.ADMIN)
def commitment_list(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def commitment_create(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def commitment_detail(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def commitment_update(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def commitment_document(request, **kwargs):
    raise NotImplementedError
