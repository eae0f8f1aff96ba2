from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "pathways.organisations"
    label = "organisations"
    verbose_name = "Organisations and people"
