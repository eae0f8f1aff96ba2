"""The Open Referral UK 3.0 read API under /api/openreferral/v3/."""

urlpatterns = []
