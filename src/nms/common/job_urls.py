from django.urls import path

from nms.common import jobs_views

urlpatterns = [
    path("", jobs_views.job_list, name="job-list"),
    path("<int:pk>/", jobs_views.job_detail, name="job-detail"),
    path("<int:pk>/status/", jobs_views.job_status, name="job-status"),
    path("<int:pk>/file/", jobs_views.job_file, name="job-file"),
]
