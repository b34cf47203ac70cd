from django.urls import path

from safeops.facilities import views

urlpatterns = [
    path("", views.facility_scores_view, name="facility-scores"),
    path("schools/<int:school_id>/", views.facility_school_view, name="facility-school"),
    path(
        "schools/<int:school_id>/audit/",
        views.facility_audit_create_view,
        name="facility-audit-create",
    ),
    path("audits/<int:audit_id>/", views.facility_audit_view, name="facility-audit"),
    path("audits/<int:audit_id>/findings/", views.finding_add_view, name="finding-add"),
    path("findings/<int:finding_id>/photos/", views.finding_photo_view, name="finding-photo"),
    path("findings/<int:finding_id>/tasks/", views.finding_task_view, name="finding-task"),
    path("tasks/<int:task_id>/reinspect/", views.task_reinspect_view, name="task-reinspect"),
    path("photos/<int:photo_id>/", views.finding_photo_file_view, name="finding-photo-file"),
]
