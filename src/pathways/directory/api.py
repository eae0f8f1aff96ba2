"""The directory REST API under /api/v1/: what Open Referral UK does not cover (funding, relationships,
freshness, change requests)."""

urlpatterns = []
