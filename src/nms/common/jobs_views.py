"""Job pages: the list of one's jobs, a job with its progress bar, its status (polled by htmx
every second until the job ends) and its result file. Another user's job answers 404."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from nms.common import jobs
from nms.common.pagination import paginate


@login_required
def job_list(request):
    page = paginate(request, jobs.jobs_visible(request.user))
    return render(request, "common/job_list.html", {"page": page, "jobs": page.object_list})


@login_required
def job_detail(request, pk):
    return render(request, "common/job_detail.html", {"job": jobs.job_get(request.user, pk)})


@login_required
def job_status(request, pk):
    return render(request, "common/job_status.html", {"job": jobs.job_get(request.user, pk)})


@login_required
def job_file(request, pk):
    job = jobs.job_get(request.user, pk)
    if not job.has_file:
        raise Http404(jobs.NOT_FOUND)
    response = HttpResponse(jobs.job_result(job), content_type=job.result_content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.result_name)}"
    return response
