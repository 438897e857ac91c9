from django.apps import AppConfig


class SifundWebConfig(AppConfig):
    name = "sifund.web"
    label = "sifund"
    verbose_name = "社保基金预算绩效管理"
    default_auto_field = "django.db.models.BigAutoField"
