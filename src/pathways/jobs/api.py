"""REST endpoints of this app, wired under /api/v1/ by pathways.api.urls."""

urlpatterns: list = []
