from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "csphub.casereview"
    label = "casereview"
    verbose_name = "ASB case reviews (Community Trigger)"
