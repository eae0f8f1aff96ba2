"""A service's own pages."""

from django.shortcuts import render

from .. import permissions


def service_detail(request, service_id):
    service = permissions.service_get_for_user(user=request.user, service_id=service_id)
    return render(request, "directory/records/detail.html", {"service": service})
