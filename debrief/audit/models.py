from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from debrief.lib.ownership import CoachQuerySet


class AppendOnlyError(RuntimeError):
    """Audit events are never changed or deleted one by one."""


class AuditEvent(models.Model):
    """One security event or access, for the coach's own trail. Never holds coachee content.

    ``subject`` is an opaque reference (a coachee's or session's UUID code), never a name;
    ``detail`` holds only non-content facts (counts, key ids, the IP address, the reason).
    """

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        MFA_ADDED = "mfa_added", "Two-factor authentication added"
        MFA_REMOVED = "mfa_removed", "Two-factor authentication removed"
        RECOVERY_CODES = "recovery_codes", "Recovery codes viewed or renewed"
        SIGN_IN_ENDED = "sign_in_ended", "Another sign-in ended"
        EXPORT = "export", "Data exported"
        COACHEE_ERASED = "coachee_erased", "Coachee erased"
        SESSION_DELETED = "session_deleted", "Session deleted"
        RETENTION_RUN = "retention_run", "Retention clean-up"
        KEY_ROTATION = "key_rotation", "Encryption keys rotated"
        UNOPENABLE_PURGED = "unopenable_purged", "Notes that could not be opened removed"
        ACCESS_DENIED = "access_denied", "Access refused"
        CALENDAR_LINK_MADE = "calendar_link_made", "Calendar link made"
        CALENDAR_LINK_OFF = "calendar_link_off", "Calendar link turned off"
        API_TOKEN_MADE = "api_token_made", "API token made"
        API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
        API_TOKEN_REFUSED = "api_token_refused", "Revoked or expired API token refused"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ROLES_CHANGED = "roles_changed", "Roles changed"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
        ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
        FIRM_SETTINGS = "firm_settings", "Firm settings changed"
        SHARE_MADE = "share_made", "Shared with a supervisor"
        SHARE_REVOKED = "share_revoked", "Share with a supervisor revoked"
        SHARE_VIEWED = "share_viewed", "What you shared was viewed by the supervisor"
        SUPERVISION_RECORDED = "supervision_recorded", "Supervision session recorded by supervisor"
        SUPERVISION_SIGNED_OFF = "supervision_signed_off", "Supervision hours signed off"
        HANDOVER_OFFERED = "handover_offered", "Coachee offered to another coach"
        HANDOVER_ACCEPTED = "handover_accepted", "Coachee handed over"
        HANDOVER_DECLINED = "handover_declined", "Hand-over declined"
        HANDOVER_CANCELLED = "handover_cancelled", "Hand-over cancelled"
        OPENING_ROW_DELETED = "opening_row_deleted", "A row of hours before Debrief deleted"

    # Null for events not tied to a coach (a failed sign-in for an unknown address, a rotation).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    subject = models.CharField(max_length=64, blank=True)
    detail: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit events cannot be deleted one by one.")
