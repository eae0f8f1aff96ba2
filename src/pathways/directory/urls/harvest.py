"""Addresses of this area of the knowledge base."""

urlpatterns = []
