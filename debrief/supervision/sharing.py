"""Share with a supervisor, revoke, read what was shared, and note every view in the trail.

A share is open to its supervisor only while it is in its period, not revoked, its coach and
supervisor are both active, the coach still holds the coach role and the supervisor the
supervisor role: every read asks the database, so a revoke in one server process closes it for
the next request in every other. What the supervisor reads is rendered by the exports' pack
code: a pack exactly as the pack renders (pseudonymised, with the coach's redactions), chosen
reflections with their own letters, pseudonymised too unless the coach chose to show names.
The audit trail keeps ids and counts only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.exports.document import SessionDoc
from debrief.exports.models import SupervisionPack
from debrief.exports.pack import letter, pack_docs, session_docs
from debrief.firm.models import Membership
from debrief.journal.models import CoachingSession
from debrief.supervision.models import Share

Action = AuditEvent.Action


def supervisors_for(coach: Any) -> QuerySet[Membership]:
    """The firm's people a coach may share with: active supervisors other than themselves."""
    return (
        Membership.objects.select_related("user")
        .filter(supervisor=True, user__is_active=True)
        .exclude(user_id=coach.pk)
        .order_by("user__display_name", "user__email")
    )


def make_share(
    coach: Any,
    supervisor: Any,
    *,
    starts: date,
    ends: date,
    pack: SupervisionPack | None = None,
    sessions: list[CoachingSession] | None = None,
    show_names: bool = False,
    request: HttpRequest | None = None,
) -> Share:
    """``pack`` or ``sessions`` (the coach's own, checked by the caller), for the period."""
    letters: dict[str, str] = {}
    for session in sessions or []:
        key = str(session.coachee_id)
        if key not in letters:
            letters[key] = letter(len(letters))
    with transaction.atomic():
        share = Share.objects.create(
            coach=coach,
            supervisor=supervisor,
            pack=pack,
            letters=letters,
            show_names=bool(show_names) and pack is None,
            starts=starts,
            ends=ends,
        )
        if sessions:
            share.sessions.set(sessions)
        record(
            Action.SHARE_MADE,
            coach=coach,
            request=request,
            subject=str(share.code),
            detail={
                "supervisor": supervisor.pk,
                "what": "pack" if pack is not None else "reflections",
                "sessions": session_count(share),
                "names_shown": share.show_names,
                "days": (ends - starts).days + 1,
            },
        )
    return share


def revoke(share: Share, request: HttpRequest | None = None) -> bool:
    """Close the share now; False if it was already revoked."""
    changed = Share.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        share.refresh_from_db(fields=["revoked_at"])
        record(
            Action.SHARE_REVOKED,
            coach=share.coach,
            request=request,
            subject=str(share.code),
            detail={"supervisor": share.supervisor_id},
        )
    return bool(changed)


def session_count(share: Share) -> int:
    if share.pack_id is not None:
        return share.pack.sessions.count() if share.pack else 0
    return share.sessions.count()


def open_for(supervisor: Any, day: date | None = None) -> QuerySet[Share]:
    """The shares ``supervisor`` may read on ``day`` (today): the one query every read uses."""
    day = day or timezone.localdate()
    return Share.objects.filter(
        supervisor=supervisor,
        supervisor__is_active=True,
        supervisor__membership__supervisor=True,
        coach__is_active=True,
        coach__membership__coach=True,
        revoked_at__isnull=True,
        starts__lte=day,
        ends__gte=day,
    )


def docs_of(share: Share) -> list[SessionDoc]:
    """What the supervisor sees: the pack as it renders, or the chosen reflections."""
    if share.pack is not None:
        docs, _ = pack_docs(share.pack)
        return docs
    # An unsaved pack carries the share's letters to the pack's pseudonymiser; never stored.
    letters = SupervisionPack(coach=share.coach, letters=share.letters)
    docs, _ = session_docs(letters, share.sessions.all(), pseudonymise=not share.show_names)
    return docs


def note_view(share: Share, sessions: int, request: HttpRequest) -> None:
    record(
        Action.SHARE_VIEWED,
        coach=share.coach,
        request=request,
        subject=str(share.code),
        detail={"supervisor": share.supervisor_id, "sessions": sessions},
    )


def views_of(coach: Any) -> dict[str, tuple[int, Any]]:
    """Share code -> (views, the latest), from the coach's own trail."""
    rows = (
        AuditEvent.objects.for_coach(coach)
        .filter(action=Action.SHARE_VIEWED)
        .values("subject")
        .annotate(n=Count("pk"), last=Max("at"))
    )
    return {row["subject"]: (row["n"], row["last"]) for row in rows}


def holding(coachee: Any) -> tuple[int, int]:
    """How many packs of their coach, and shares not yet ended, hold ``coachee``'s sessions.

    What the erase page tells the coach goes with them: erasing deletes the sessions, so the
    packs and the supervisors' shares lose them too.
    """
    sessions = CoachingSession.objects.filter(coachee=coachee)
    packs = SupervisionPack.objects.for_coach(coachee.coach).filter(sessions__in=sessions)
    pack_ids = set(packs.values_list("pk", flat=True))
    shares = (
        Share.objects.for_coach(coachee.coach)
        .filter(revoked_at__isnull=True, ends__gte=timezone.localdate())
        .filter(Q(pack__in=pack_ids) | Q(sessions__in=sessions))
        .values("pk")
        .distinct()
    )
    return len(pack_ids), shares.count()
