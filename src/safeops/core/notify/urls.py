from django.urls import path

from safeops.core.notify import views

urlpatterns = [
    path("", views.channels_view, name="notify-channels"),
    path("sw.js", views.service_worker_view, name="notify-sw"),
    path("push/", views.push_subscription_view, name="notify-push"),
    path("<int:notification_id>/open/", views.notification_open_view, name="notify-open"),
    path("<int:notification_id>/ack/", views.notification_ack_view, name="notify-ack"),
    path("receipts/<str:token>/shown/", views.receipt_shown_view, name="notify-receipt-shown"),
    path("callbacks/provider/", views.provider_callback_view, name="notify-provider-callback"),
]
