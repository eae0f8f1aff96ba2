from django.http import HttpResponse


def lists(request):
    return HttpResponse("todo")
