from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "pathways.commissioning"
    label = "commissioning"
    verbose_name = "Bidders portal and contracts"
