from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "debrief.audit"
    label = "audit"
    verbose_name = "Audit trail"
