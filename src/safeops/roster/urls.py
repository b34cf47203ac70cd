from django.urls import path

from safeops.roster import views

urlpatterns = [
    path("", views.roster_week_view, name="roster-week"),
    path("mine/", views.my_shifts_view, name="roster-mine"),
    path("shifts/new/", views.shift_add_view, name="roster-shift-add"),
    path("shifts/<int:shift_id>/", views.shift_detail_view, name="roster-shift"),
    path("leave/new/", views.leave_add_view, name="roster-leave-add"),
    path("leave/<int:leave_id>/cancel/", views.leave_cancel_view, name="roster-leave-cancel"),
    path("events/new/", views.event_add_view, name="roster-event-add"),
    path("events/<int:event_id>/assign/", views.event_assign_view, name="roster-event-assign"),
    path("import/", views.import_view, name="roster-import"),
]
