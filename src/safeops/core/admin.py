from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeops.core.jobs_ops import job_retry
from safeops.core.models import AuditEntry, Job
from safeops.core.overseers import is_overseer


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows the admin shows and never adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: audit entries can be searched, never edited or deleted."""

    list_display = ("at", "actor_label", "action", "model", "object_id", "object_repr", "note")
    list_filter = ("action", "model")
    search_fields = ("actor_label", "object_repr", "object_id", "note")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_overseer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Background jobs, read-only, for the security chief; "retry now" goes through job_retry."""

    list_display = (
        "id",
        "kind",
        "status",
        "run_after",
        "attempts",
        "max_attempts",
        "claimed_by",
        "finished_at",
        "error_line",
    )
    list_filter = ("status", "kind")
    search_fields = ("kind", "dedupe_key", "slot_key")
    date_hierarchy = "run_after"
    ordering = ("-run_after", "-id")
    actions = ("retry_now",)

    @admin.display(description=gettext_lazy("last error"))
    def error_line(self, obj: Job) -> str:
        lines = [line for line in obj.error.strip().splitlines() if line.strip()]
        return lines[-1][:120] if lines else ""

    @admin.action(description=gettext_lazy("Retry now (failed jobs)"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried = 0
        for job in queryset.order_by("pk"):
            try:
                job_retry(job_id=job.pk, actor=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                retried += 1
        if retried:
            self.message_user(request, _("%(count)d job(s) queued again.") % {"count": retried})

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return is_overseer(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_overseer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_overseer(request.user)
