"""Job pages: the list of one's jobs, a job with its progress bar, its status (polled by htmx
every second until the job ends) and its result file (a one-time file: once, to its author).
Another user's job answers 404."""

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
    """The result file; a one-time file (one-time passwords) goes to its author once, and the
    next request answers 410 with the job's page saying it was downloaded."""
    return file_response(request, jobs.job_get(request.user, pk))


def file_response(request, job):
    """The job's file as an attachment, for the page and the API alike."""
    if jobs.job_file_once(job):
        return _take_once(request, job)
    if not job.has_file:
        raise Http404(jobs.NOT_FOUND)
    return _attachment(jobs.job_result(job), job.result_name, job.result_content_type)


def _take_once(request, job):
    name, content_type = job.result_name, job.result_content_type
    content = jobs.job_take_result(job, request.user)  # 404 to anyone but the author
    if content is None:
        context = {"job": job, "gone": jobs.FILE_TAKEN}
        return render(request, "common/job_detail.html", context, status=410)
    response = _attachment(content, name, content_type)
    response["Cache-Control"] = "no-store"
    return response


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
