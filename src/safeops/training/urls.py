from django.urls import path

from safeops.training.views import catalog, ledger, records

urlpatterns = [
    path("", ledger.my_training_view, name="training-mine"),
    path("people/<int:person_id>/", ledger.person_training_view, name="training-person"),
    path("district/", ledger.district_view, name="training-district"),
    path("district.csv", ledger.district_csv_view, name="training-district-csv"),
    path("completions/new/", records.completion_new_view, name="training-completion-new"),
    path("certifications/new/", records.certification_new_view, name="training-cert-new"),
    path("<str:kind>/<int:record_id>/decide/", records.record_decide_view, name="training-decide"),
    path(
        "<str:kind>/<int:record_id>/upload/",
        records.certificate_upload_view,
        name="training-upload",
    ),
    path("files/<int:file_id>/", records.certificate_file_view, name="training-file"),
    path("import/", catalog.import_view, name="training-import"),
    path("catalog/", catalog.catalog_view, name="training-catalog"),
    path("feed/<str:token>.ics", ledger.feed_view, name="training-feed"),
]
