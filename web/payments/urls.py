"""The payments files from the channels (namespace ``payments``)."""

from django.urls import path

from web.payments import views

urlpatterns = [
    path("", views.payment_import_list, name="list"),
    path("upload/", views.payment_upload, name="upload"),
    path("<int:pk>/", views.payment_import_detail, name="detail"),
    path("<int:pk>/confirm/", views.payment_import_confirm_view, name="confirm"),
    path("<int:pk>/follow-up.xlsx", views.payment_follow_up, name="follow_up"),
]
