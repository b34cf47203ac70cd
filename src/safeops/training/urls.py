from django.urls import path

from safeops.training import views

urlpatterns = [
    path("", views.my_training_view, name="training-mine"),
    path("people/<int:person_id>/", views.person_training_view, name="training-person"),
    path("district/", views.district_view, name="training-district"),
    path("district.csv", views.district_csv_view, name="training-district-csv"),
    path("completions/new/", views.completion_new_view, name="training-completion-new"),
    path("certifications/new/", views.certification_new_view, name="training-cert-new"),
    path("<str:kind>/<int:record_id>/decide/", views.record_decide_view, name="training-decide"),
    path(
        "<str:kind>/<int:record_id>/upload/",
        views.certificate_upload_view,
        name="training-upload",
    ),
    path("files/<int:file_id>/", views.certificate_file_view, name="training-file"),
    path("import/", views.import_view, name="training-import"),
    path("catalog/", views.catalog_view, name="training-catalog"),
    path("feed/<str:token>.ics", views.feed_view, name="training-feed"),
]
