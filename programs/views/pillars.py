"""The strategy pillars: the secretariat renames them and adds its own."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from programs.forms import PillarForm
from programs.models import Pillar
from programs.services import pillar_save
from programs.views.programs import PROGRAM_READERS
from tkpk.permissions import MANAGERS, role_required


@require_GET
@role_required(*PROGRAM_READERS)
def pillar_list(request: HttpRequest) -> HttpResponse:
    # Meta.ordering does not apply to a GROUP BY query: order it here.
    pillars = Pillar.objects.annotate(program_count=Count("programs")).order_by("order", "pk")
    return render(
        request,
        "programs/pillar_list.html",
        {"pillars": pillars, "can_edit": request.user.role in MANAGERS},
    )


def _save(request: HttpRequest, pillar: Pillar | None) -> HttpResponse:
    form = PillarForm(request.POST or None, instance=pillar)
    if request.method == "POST" and form.is_valid():
        saved = pillar_save(pillar=form.save(commit=False), by=request.user)
        messages.success(request, _("The pillar %(name)s was saved.") % {"name": saved.name})
        return redirect("programs:pillar_list")
    return render(
        request,
        "programs/pillar_form.html",
        {"form": form, "pillar": pillar},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def pillar_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def pillar_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_object_or_404(Pillar, pk=pk))
