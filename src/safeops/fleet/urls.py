from django.urls import path

from safeops.fleet import views

urlpatterns = [
    path("", views.fleet_view, name="fleet-home"),
    path("inspect/", views.inspect_mine_view, name="fleet-inspect-mine"),
    path("vehicles/<int:vehicle_id>/inspect/", views.inspect_vehicle_view, name="fleet-inspect"),
    path("vehicles/new/", views.vehicle_add_view, name="fleet-vehicle-add"),
    path("vehicles/<int:vehicle_id>/assign/", views.vehicle_assign_view, name="fleet-assign"),
    path("vehicles/<int:vehicle_id>/status/", views.vehicle_status_view, name="fleet-status"),
    path("tasks/<int:task_id>/close/", views.task_close_view, name="fleet-task-close"),
    path("equipment/", views.equipment_view, name="fleet-equipment"),
    path(
        "equipment/<int:item_id>/issue/", views.equipment_issue_view, name="fleet-equipment-issue"
    ),
    path(
        "equipment/<int:item_id>/check/", views.equipment_check_view, name="fleet-equipment-check"
    ),
]
