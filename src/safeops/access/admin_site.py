"""The admin site and the base ModelAdmin that asks the access module and writes through services.

A `ScopedModelAdmin` is read-only unless it declares `service_writes`: the create, update and
delete adapters that call the app's services, so the admin gets the same validation, guards,
workflow and audit entries as the pages. A write it does not declare is not offered at all.
Sensitive records (`audit_reads = True`) record a `view` entry when opened and an `export`
entry when listed, as their selectors do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from safeops.access import Action, Reach, can, resource_of, restrict, viewer_for
from safeops.access import can_use_admin as access_can_use_admin
from safeops.core.audit import Actor, audit_export, audit_read, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.core.services import model_create, model_delete, model_update


def audited_admin_save(
    request: HttpRequest, obj: Any, change: bool, save: Callable[[], None]
) -> None:
    """Run an admin `save` and record its audit entry (the superuser-only login admins)."""
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
    save()
    action = AuditAction.UPDATE if change else AuditAction.CREATE
    audit_write(actor=request.user, action=action, instance=obj, before=before, note="admin")


class CreateWrite(Protocol):
    def __call__(self, *, actor: Actor, data: dict[str, Any]) -> Model: ...


class UpdateWrite(Protocol):
    def __call__(self, *, actor: Actor, instance: Any, data: dict[str, Any]) -> Model: ...


class DeleteWrite(Protocol):
    def __call__(self, *, actor: Actor, instance: Any) -> None: ...


@dataclass(frozen=True)
class ServiceWrites:
    """The service adapters an admin writes through; None means the admin cannot do that write.

    `data` holds the form's model fields (on update: only the changed ones)."""

    create: CreateWrite | None = None
    update: UpdateWrite | None = None
    delete: DeleteWrite | None = None

    @property
    def any(self) -> bool:
        return any(w is not None for w in (self.create, self.update, self.delete))


READ_ONLY = ServiceWrites()


def generic_writes(
    model: type[Model], *, create: bool = True, update: bool = True, delete: bool = True
) -> ServiceWrites:
    """Writes through `core.services.model_*` (validation and audit): for catalog and settings
    rows whose pages and API use those same generic services and have no rules of their own."""

    def _create(*, actor: Actor, data: dict[str, Any]) -> Model:
        return model_create(model=model, actor=actor, note="admin", **data)

    def _update(*, actor: Actor, instance: Model, data: dict[str, Any]) -> Model:
        return model_update(instance=instance, actor=actor, data=data, note="admin")

    def _delete(*, actor: Actor, instance: Any) -> None:
        model_delete(instance=instance, actor=actor, note="admin")

    return ServiceWrites(
        create=_create if create else None,
        update=_update if update else None,
        delete=_delete if delete else None,
    )


ONLY_FIELDS = "In the admin only {fields} may change here; use the page for anything else."


def only_changes(fields: tuple[str, ...], data: dict[str, Any]) -> None:
    """Refuse a change to any field outside `fields` (naming the first one)."""
    others = sorted(set(data) - set(fields))
    if others:
        raise ValidationError({others[0]: ONLY_FIELDS.format(fields=", ".join(fields))})


def form_data(form: BaseForm, *, changed_only: bool) -> dict[str, Any]:
    """The form's cleaned values of concrete model fields (many-to-many fields excluded)."""
    model = form._meta.model  # type: ignore[attr-defined]
    concrete = {f.name for f in model._meta.concrete_fields if not f.primary_key}
    names = form.changed_data if changed_only else list(form.cleaned_data)
    return {name: form.cleaned_data[name] for name in names if name in concrete}


def _adopt(target: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance the row the service saved."""
    target.pk = saved.pk
    target._state.adding = False
    target._state.db = saved._state.db
    target.refresh_from_db()


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or "Permission denied."
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


class SafeopsAdminSite(admin.AdminSite):
    site_header = "safeops administration"
    site_title = "safeops"
    index_title = "District safety operations"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and access_can_use_admin(request.user))


class ScopedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose rows and rights come from safeops.access and whose writes go through
    the declared services (read-only when none are declared)."""

    service_writes: ClassVar[ServiceWrites] = READ_ONLY
    audit_reads: ClassVar[bool] = False

    def _reach(self, request: HttpRequest, action: Action) -> Reach:
        return viewer_for(request.user).reach(resource_of(self.model), action)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, Action.VIEW)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """Many-to-many fields are shown, not edited: the services write no link tables here."""
        fields = tuple(super().get_readonly_fields(request, obj))
        links = tuple(f.name for f in self.model._meta.many_to_many if f.name not in fields)
        return fields + links

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._reach(request, Action.VIEW) != Reach.NONE

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return self._reach(request, Action.VIEW) != Reach.NONE
        return can(request.user, Action.VIEW, obj)

    def _may_change(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return self._reach(request, Action.CHANGE) != Reach.NONE
        return can(request.user, Action.CHANGE, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.service_writes.update is not None and self._may_change(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            self.service_writes.create is not None
            and self._reach(request, Action.CHANGE) == Reach.ALL
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.service_writes.delete is not None and self._may_change(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if self.service_writes.delete is None:
            actions.pop("delete_selected", None)
        return actions

    # --- Writes: only through the declared services -------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        writes = self.service_writes
        if change:
            if writes.update is None:
                raise PermissionDenied
            original = type(obj)._default_manager.get(pk=obj.pk)
            data = form_data(form, changed_only=True)
            if data:
                _adopt(obj, writes.update(actor=request.user, instance=original, data=data))
            return
        if writes.create is None:
            raise PermissionDenied
        _adopt(obj, writes.create(actor=request.user, data=form_data(form, changed_only=False)))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields are read-only here (get_readonly_fields), so no form.save_m2m().
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if self.service_writes.delete is None:
            raise PermissionDenied
        self.service_writes.delete(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Form, formset: Any, change: bool) -> None:
        """Inline rows go through the inline's declared services, one row at a time."""
        writes: ServiceWrites = getattr(formset, "service_writes", READ_ONLY)
        parent_field = formset.fk.name
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is None:
                continue
            if writes.delete is None:
                raise PermissionDenied
            writes.delete(actor=request.user, instance=deleted.instance)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            instance = inline_form.instance
            if instance.pk is not None and not instance._state.adding:
                if writes.update is None:
                    raise PermissionDenied
                original = type(instance)._default_manager.get(pk=instance.pk)
                data = form_data(inline_form, changed_only=True)
                if data:
                    writes.update(actor=request.user, instance=original, data=data)
            else:
                if writes.create is None:
                    raise PermissionDenied
                data = form_data(inline_form, changed_only=False)
                data[parent_field] = formset.instance
                writes.create(actor=request.user, data=data)

    def _refused(
        self, request: HttpRequest, error: ValidationError | PermissionDenied
    ) -> HttpResponse:
        """A service refused the write: nothing was saved (the admin view's transaction rolled
        back); show the reason on the same page."""
        self.message_user(request, _error_text(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return self._refused(request, error)
        except PermissionDenied as error:
            if request.method != "POST":
                raise
            return self._refused(request, error)
        if (
            self.audit_reads
            and object_id
            and request.method == "GET"
            and response.status_code == 200
        ):
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_read(actor=request.user, instance=obj, note="admin")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if self.audit_reads and isinstance(response, TemplateResponse):
            changelist = (response.context_data or {}).get("cl")
            if changelist is not None:
                audit_export(
                    actor=request.user,
                    model=self.model,
                    count=len(changelist.result_list),
                    note="admin list",
                )
        return response


class ScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline editable only through its declared services, and only when its parent is."""

    extra = 0
    service_writes: ClassVar[ServiceWrites] = READ_ONLY

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.service_writes = self.service_writes  # type: ignore[attr-defined]
        return formset

    def _parent_change(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return (
                viewer_for(request.user).reach(resource_of(self.parent_model), Action.CHANGE)
                == Reach.ALL
            )
        return can(request.user, Action.CHANGE, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return obj is None or can(request.user, Action.VIEW, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.service_writes.update is not None and self._parent_change(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.service_writes.create is not None and self._parent_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.service_writes.delete is not None and self._parent_change(request, obj)


def declares_writes(model_admin: admin.ModelAdmin) -> bool:  # type: ignore[type-arg]
    """True if `model_admin` writes through declared services (used by the admin's tests)."""
    return isinstance(model_admin, ScopedModelAdmin) and model_admin.service_writes.any
