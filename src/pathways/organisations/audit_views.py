from django.http import HttpResponse


def audit_trail(request, slug):
    return HttpResponse("todo")
