from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from tkpk.models import Agency, ExportLog, User

admin.site.site_header = _("TKPK administration")
admin.site.site_title = _("TKPK administration")


@login_not_required
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin has no login form of its own: one sign-in page, one throttle."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not request.user.is_staff:
        raise PermissionDenied
    return redirect(next_url)


admin.site.login = admin_login


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["acronym", "name"]


class TkpkUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class TkpkUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = TkpkUserChangeForm
    add_form = TkpkUserCreationForm
    list_display = ["username", "name", "role", "agency", "partner", "is_active", "last_login"]
    list_filter = ["role", "agency", "partner", "is_active"]
    search_fields = ["username", "name", "email", "agency__acronym", "partner__name"]
    ordering = ["username"]
    autocomplete_fields = ["agency", "partner"]
    filter_horizontal = []
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["name", "email"]}),
        (_("Role"), {"fields": ["role", "agency", "partner", "is_active"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "role",
                    "agency",
                    "partner",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


class ReadOnlyMixin:
    """For a model admin or inline whose records are evidence or history: shown, never edited."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: an export log is evidence of who took personal data out, so no one edits it."""

    list_display = ["created_at", "user", "what", "file_format", "rows"]
    list_filter = ["what", "file_format", "created_at"]
    search_fields = ["user__username", "user__name", "what"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    show_full_result_count = False


# Roles, not permission groups, decide what a user may do.
admin.site.unregister(Group)


# django-tasks-db's admin names its app and three columns with plain strings, which no
# catalog can translate; its model, field and status labels are translated through
# tkpk/third_party_strings.py.
apps.get_app_config("django_tasks_database").verbose_name = _("Background tasks")


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """The background tasks as django-tasks-db shows them, with translatable labels."""

    @admin.display(description=_("task name"))
    def task_name(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)
