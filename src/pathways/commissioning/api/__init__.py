"""REST endpoints of the bidders portal, wired under /api/v1/ by pathways.api.urls. Each area keeps its
endpoints in its own module here."""

from . import awards, bids, evaluation, fairness, help, market, open_data, opportunities

urlpatterns = [
    *opportunities.urlpatterns,
    *market.urlpatterns,
    *bids.urlpatterns,
    *evaluation.urlpatterns,
    *awards.urlpatterns,
    *open_data.urlpatterns,
    *fairness.urlpatterns,
    *help.urlpatterns,
]
