"""PLACEHOLDER: replaced by the engineer building these pages (issue 9)."""

from tkpk.models import Role
from tkpk.permissions import role_required


@role_required(Role.ADMIN)
def partner_list(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def partner_create(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def partner_export(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def partner_target(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def partner_detail(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def partner_update(request, **kwargs):
    raise NotImplementedError


@role_required(Role.ADMIN)
def pledge_export(request, **kwargs):
    raise NotImplementedError
