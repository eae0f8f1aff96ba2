from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pathways.organisations.middleware import SESSION_KEY
from pathways.organisations.selectors import organisations_for_member

from .forms import ActingForForm
from .homes import home_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    template, context = home_for(request)
    return render(request, template, context)


def signed_out(request):
    return render(request, "web/signed_out.html", _cookie_lifetimes())


def page(request, template):
    return render(request, template, _cookie_lifetimes())


def _cookie_lifetimes() -> dict:
    return {
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "csrf_cookie_days": settings.CSRF_COOKIE_AGE // (24 * 60 * 60),
    }


@login_required
@require_http_methods(["GET", "POST"])
def acting_for(request):
    organisations = organisations_for_member(user=request.user)
    initial = {"organisation": request.acting_for.pk if request.acting_for else None}
    data = request.POST if request.method == "POST" else None
    form = ActingForForm(data, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["organisation"]
        chosen = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        messages.success(request, f"You are now working for {chosen}.")
        return redirect("web:home")
    return render(request, "web/acting_for.html", {"form": form})
