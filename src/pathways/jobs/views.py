from django.http import HttpResponse


def job_detail(request, job_id):
    return HttpResponse("todo")
