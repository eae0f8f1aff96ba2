from django.http import HttpResponse


def organisation_list(request):
    return HttpResponse("todo")


def organisation_detail(request, slug):
    return HttpResponse("todo")


def invitation_accept(request, token):
    return HttpResponse("todo")
