from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "pathways.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomy"
