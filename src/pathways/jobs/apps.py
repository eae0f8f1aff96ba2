from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pathways.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
