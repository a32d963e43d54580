from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "debrief.backup"
    label = "backup"
    verbose_name = "Backup and restore"
