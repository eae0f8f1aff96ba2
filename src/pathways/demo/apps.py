from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pathways.demo"
    label = "demo"
    verbose_name = "Demo region"
