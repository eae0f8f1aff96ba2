"""The bidders portal's pages."""

app_name = "commissioning"

urlpatterns = []
