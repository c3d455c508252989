"""The activities of an agency's action plan: add, change and remove them while the plan
is a draft or returned. Only the agency's own operators reach them; another agency's
activity, by URL or by a tampered form, is "not found"."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programs import plan_services
from programs.models import ActionPlan, Activity
from programs.plan_forms import ActivityDeleteForm, ActivityForm
from programs.plan_selectors import plans_for
from programs.plan_services import may_edit_plan
from programs.views.plans import own_plan, refusal_text
from tkpk.forms import refusal_show
from tkpk.locking import EditConflict, conflict_show
from tkpk.models import Role
from tkpk.permissions import role_required
from tkpk.typed import typed_data


def _own_activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.filter(plan__in=plans_for(request.user)).select_related(
            "plan__agency", "pillar", "program"
        ),
        pk=pk,
    )
    if not may_edit_plan(request.user, activity.plan.agency_id):
        raise Http404
    return activity


def _activity_save(request: HttpRequest, plan: ActionPlan, activity: Activity) -> HttpResponse:
    # On the GET back from the login page, what was typed before the session ended.
    data = typed_data(request)
    if data is None and not plan.is_editable:
        # Nothing to type into: say why, and where to go.
        return render(
            request,
            "programs/activity_form.html",
            {"plan": plan, "activity": activity, "final": True},
        )
    form = ActivityForm(data, instance=activity, plan=plan)
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        try:
            # A copy: a refused save must leave the form as typed, a new one without an id.
            saved = plan_services.activity_save(
                activity=copy.copy(form.instance),
                version=form.cleaned_data["version"] if activity.pk else None,
                by=request.user,
                villages=form.cleaned_data["villages"],
            )
        except EditConflict as conflict:
            conflict_rows = conflict_show(form, conflict)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request, _("The activity “%(name)s” was saved.") % {"name": saved.name}
            )
            return redirect(
                f"{reverse('programs:plan_detail', args=[plan.pk])}#activity-{saved.pk}"
            )
    return render(
        request,
        "programs/activity_form.html",
        {"plan": plan, "activity": activity, "form": form, "conflict_rows": conflict_rows},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.AGENCY)
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an activity to the operator's plan while it is a draft or returned."""
    plan = own_plan(request, pk)
    last = plan.activities.aggregate(last=Max("position"))["last"] or 0
    return _activity_save(request, plan, Activity(plan=plan, position=last + 1))


@require_http_methods(["GET", "POST"])
@role_required(Role.AGENCY)
def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity of the operator's plan while it is a draft or returned."""
    activity = _own_activity(request, pk)
    return _activity_save(request, activity.plan, activity)


@require_POST
@role_required(Role.AGENCY)
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an activity from the operator's plan, unless progress was reported on it."""
    activity = _own_activity(request, pk)
    plan = activity.plan
    form = ActivityDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The activity was not removed: reload the page and try again."))
        return redirect("programs:plan_detail", pk=plan.pk)
    try:
        plan_services.activity_delete(
            activity=activity, version=form.cleaned_data["version"], by=request.user
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "“%(name)s” was changed by someone else after you opened the plan, so it was "
                "not removed: check it, then remove it again if it should go."
            )
            % {"name": activity.name},
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request, _("The activity “%(name)s” was removed.") % {"name": activity.name}
        )
    return redirect("programs:plan_detail", pk=plan.pk)
