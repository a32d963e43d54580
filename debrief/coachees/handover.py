"""Hand a coachee over to another coach: an explicit transfer, with their consent, audited.

The coachee's coach offers them to a named coach (``offer``), recording when and how the
coachee agreed; the receiving coach accepts (``accept``) or declines, or the offering coach
cancels. Accepting moves, in one transaction, the coachee and every row that copies its coach
from them (every ``CoacheeOwned`` model: sessions, reflections, actions, goals, feedback...)
to the receiving coach with bulk updates. Nothing is opened or sealed again: each value is
sealed with the coachee's own data key and bound to its table, row and field, never to a
coach. Three things are the previous coach's own and stay with them, without this coachee:

- their calendar (events sealed with the calendar's key): events linked to the coachee are
  unlinked and set aside ("skipped");
- their supervision packs, what they shared with a supervisor and their supervision log: the
  coachee's sessions leave them;
- the hours they coached: the ICF counts them for the coach who coached, so they stay on the
  previous coach's ICF log (``icflog.PreviousClient``), not on the receiving coach's.

The search index's shards are bound to their coach (``search/index.py``), so the coachee's are
deleted and rebuilt for the receiving coach at their next search; both coaches' search
generations and the memory generation move on, so every process forgets what it held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from debrief.accounts.models import User
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee, Handover
from debrief.diary.models import CalendarEvent
from debrief.exports.models import SupervisionPack
from debrief.firm.models import Membership
from debrief.icflog.models import PreviousClient, PreviousSession
from debrief.insights import months as insights_months
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoacheeOwned, coachee_owned_models
from debrief.practice.models import SupervisionEntry
from debrief.privacy import memory
from debrief.search import index as search_index
from debrief.search import snapshot as search_snapshot
from debrief.search.models import SearchShard
from debrief.supervision.models import Share


class HandoverRefused(ValueError):
    """A hand-over that cannot happen; the message says why, for the coach."""


# --- which rows are the coachee's --------------------------------------------------------------


def paths_to_coachee(model: type[models.Model]) -> list[str]:
    """Every lookup path from ``model`` to its coachee, along the parents it copies from."""
    if model is Coachee:
        return [""]
    if not issubclass(model, CoacheeOwned):
        return []
    found = []
    for name in model.coach_from:
        parent = model._meta.get_field(name).related_model
        for rest in paths_to_coachee(parent):  # type: ignore[arg-type]
            found.append(f"{name}__{rest}" if rest else name)
    return found


def rows_of(model: type[CoacheeOwned], coachee: Coachee) -> models.QuerySet[Any]:
    """The rows of ``model`` about ``coachee``, reached through any parent."""
    wanted = Q()
    for path in paths_to_coachee(model):
        wanted |= Q(**{path: coachee})
    if not wanted:
        return model._base_manager.none()
    return model._base_manager.filter(wanted).distinct()


Unlink = Callable[[Coachee, int], int]


def _unlink_events(coachee: Coachee, coach_id: int) -> int:
    """The previous coach's calendar keeps its events, no longer linked to the coachee."""
    events = rows_of(CalendarEvent, coachee).filter(coach_id=coach_id)
    return CalendarEvent.objects.filter(pk__in=list(events.values_list("pk", flat=True))).update(
        coachee=None, session=None, matched_by="", state=CalendarEvent.State.SKIPPED
    )


def _unlink_packs(coachee: Coachee, coach_id: int) -> int:
    """The coachee's sessions leave the previous coach's packs (which keep the others)."""
    packs = SupervisionPack.objects.filter(coach_id=coach_id)
    through = SupervisionPack.sessions.through
    left = through.objects.filter(supervisionpack__in=packs, coachingsession__coachee=coachee)
    touched = set(left.values_list("supervisionpack_id", flat=True))
    left.delete()
    touched |= set(packs.filter(coachee=coachee).values_list("pk", flat=True))
    for pack in SupervisionPack.objects.filter(pk__in=touched):
        letters = {k: v for k, v in pack.letters.items() if k != str(coachee.pk)}
        SupervisionPack.objects.filter(pk=pack.pk).update(
            letters=letters, coachee=None if pack.coachee_id == coachee.pk else pack.coachee_id
        )
    return len(touched)


def _unlink_shares(coachee: Coachee, coach_id: int) -> int:
    """The coachee's sessions leave what the previous coach shared with a supervisor.

    A shared pack follows its pack (``_unlink_packs``); chosen reflections shared lose this
    coachee's, and their letter. A share left with nothing is closed to the supervisor.
    """
    shares = Share.objects.filter(coach_id=coach_id)
    through = Share.sessions.through
    left = through.objects.filter(share__in=shares, coachingsession__coachee=coachee)
    touched = set(left.values_list("share_id", flat=True))
    left.delete()
    for share in Share.objects.filter(pk__in=touched):
        letters = {k: v for k, v in share.letters.items() if k != str(coachee.pk)}
        Share.objects.filter(pk=share.pk).update(letters=letters)
    return len(touched | set(rows_of(Share, coachee).values_list("pk", flat=True)))


# Every CoacheeOwned model moves with the coachee unless it is the previous coach's own: then
# it is named here with how it lets go of the coachee (tests/test_handover.py checks both).
STAYS: dict[str, Unlink] = {
    "diary.CalendarEvent": _unlink_events,
    "exports.SupervisionPack": _unlink_packs,
    "supervision.Share": _unlink_shares,
}


def moving_models() -> list[type[CoacheeOwned]]:
    return [m for m in coachee_owned_models() if m._meta.label not in STAYS]


# --- what a hand-over moves and keeps ----------------------------------------------------------


LABELS = {
    "journal.CoachingSession": "sessions",
    "journal.Reflection": "reflections",
    "followup.ActionItem": "action items",
    "followup.Goal": "goals",
    "followup.GoalProgress": "goal progress notes",
    "followup.ActionReview": "action reviews",
    "techniques.TechniqueUse": "technique notes",
    "practice.ClientFeedback": "feedback from the coachee",
    "practice.ClientFlags": "log settings",
    "exports.SupervisionFlag": "reflections marked for supervision",
}


@dataclass(frozen=True)
class Preview:
    """What accepting would move and what the previous coach would keep: counts only."""

    moves: dict[str, int]  # model label -> rows
    held_sessions: int
    held_minutes: int
    calendar_events: int
    packs: int
    supervision_entries: int

    @property
    def lines(self) -> list[tuple[str, int]]:
        return [(LABELS.get(label, label), n) for label, n in self.moves.items() if n]

    @property
    def held_hours(self) -> float:
        return round(self.held_minutes / 60, 1)


def _held(coachee: Coachee, today: date) -> models.QuerySet[CoachingSession]:
    """Sessions held by ``today`` and coached by the current coach (not an earlier one)."""
    earlier = PreviousSession.objects.filter(session__isnull=False).values("session_id")
    sessions = CoachingSession.objects.filter(coachee=coachee, date__lte=today, cancelled=False)
    return sessions.exclude(pk__in=earlier)


def preview(coachee: Coachee, today: date | None = None) -> Preview:
    today = today or timezone.localdate()
    coach_id = coachee.coach_id
    held = _held(coachee, today)
    sessions = CoachingSession.objects.filter(coachee=coachee)
    return Preview(
        moves={m._meta.label: rows_of(m, coachee).count() for m in moving_models()},
        held_sessions=held.count(),
        held_minutes=held.aggregate(m=models.Sum("duration_minutes"))["m"] or 0,
        calendar_events=rows_of(CalendarEvent, coachee).filter(coach_id=coach_id).count(),
        packs=SupervisionPack.objects.filter(coach_id=coach_id)
        .filter(Q(coachee=coachee) | Q(sessions__in=sessions))
        .distinct()
        .count(),
        supervision_entries=SupervisionEntry.objects.filter(
            coach_id=coach_id, sessions__in=sessions
        )
        .distinct()
        .count(),
    )


# --- who may receive ---------------------------------------------------------------------------


def receivers_for(coach: User) -> models.QuerySet[User]:
    """The firm's other active coaches, who may receive a coachee."""
    coaches = Membership.objects.filter(coach=True).values("user_id")
    return (
        User.objects.filter(pk__in=coaches, is_active=True).exclude(pk=coach.pk).order_by("email")
    )


def _check_receiver(to_coach: User, from_coach_id: int | None) -> None:
    if to_coach.pk == from_coach_id:
        raise HandoverRefused("You already coach them: choose another coach.")
    if not to_coach.is_active:
        raise HandoverRefused(
            "That coach's account is deactivated: they cannot receive a coachee now."
        )
    if not Membership.objects.filter(user_id=to_coach.pk, coach=True).exists():
        raise HandoverRefused("That person is not a coach here: only a coach can receive.")


# --- the three steps ---------------------------------------------------------------------------


def offer(
    coachee: Coachee,
    to_coach: User,
    *,
    consent_on: date,
    consent_how: str,
    consent_note: str,
    request: HttpRequest | None = None,
) -> Handover:
    """Offer ``coachee`` (already checked to be the caller's own) to ``to_coach``."""
    _check_receiver(to_coach, coachee.coach_id)
    if consent_on > timezone.localdate():
        raise HandoverRefused("The date of consent is in the future: enter the day they agreed.")
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                coachee=coachee,
                from_coach_id=coachee.coach_id,
                to_coach=to_coach,
                consent_on=consent_on,
                consent_how=consent_how,
                consent_note=consent_note,
            )
    except IntegrityError:
        raise HandoverRefused(
            "This coachee is already offered to a coach: cancel that offer first."
        ) from None
    detail = {"to_coach": to_coach.pk, "consent": consent_how}
    record(
        AuditEvent.Action.HANDOVER_OFFERED,
        coach=coachee.coach,
        request=request,
        subject=str(handover.code),
        detail=detail,
    )
    record(
        AuditEvent.Action.HANDOVER_OFFERED,
        coach=to_coach,
        subject=str(handover.code),
        detail={"from_coach": coachee.coach_id, "consent": consent_how},
    )
    return handover


def _locked_offer(handover: Handover) -> Handover:
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.state != Handover.State.OFFERED:
        raise HandoverRefused(f"This hand-over is no longer waiting: {locked.get_state_display()}.")
    return locked


def _keep_hours(coachee: Coachee, from_coach_id: int, today: date) -> tuple[int, int]:
    """The previous coach's ICF log keeps the sessions they held: (sessions, minutes)."""
    held = list(_held(coachee, today).order_by("date", "number"))
    if not held:
        return 0, 0
    listed = coachee.icf_log_listing
    client = PreviousClient.objects.create(
        coach_id=from_coach_id,
        client=coachee.name if listed else "",
        contact=coachee.email if listed else "",
        listed=listed,
        handed_over_on=today,
    )
    PreviousSession.objects.bulk_create(
        PreviousSession(
            client=client,
            session=s,
            date=s.date,
            minutes=s.duration_minutes,
            paid=s.payment == CoachingSession.Payment.PAID,
            group=s.kind == CoachingSession.Kind.GROUP,
            group_size=s.group_size,
        )
        for s in held
    )
    return len(held), sum(s.duration_minutes for s in held)


def _move(coachee: Coachee, to_coach_id: int) -> dict[str, int]:
    from_coach_id = coachee.coach_id
    counts: dict[str, int] = {}
    for label, unlink in STAYS.items():
        counts[f"unlinked:{label}"] = unlink(coachee, from_coach_id)
    entries = SupervisionEntry.sessions.through.objects.filter(
        supervisionentry__coach_id=from_coach_id, coachingsession__coachee=coachee
    )
    counts["unlinked:practice.SupervisionEntry"] = entries.delete()[0]
    for model in moving_models():
        ids = list(rows_of(model, coachee).values_list("pk", flat=True))
        rows: models.QuerySet[Any] = model._base_manager.filter(pk__in=ids)
        counts[model._meta.label] = rows.update(coach_id=to_coach_id)
    # The default template was the previous coach's own; their wording stays with them.
    Coachee.objects.filter(pk=coachee.pk).update(coach_id=to_coach_id, default_template=None)
    SearchShard.objects.filter(coachee=coachee).delete()  # bound to the coach: rebuilt
    return counts


def accept(handover: Handover, by: User, *, request: HttpRequest | None = None) -> Handover:
    """The receiving coach accepts: everything moves in one transaction."""
    with transaction.atomic():
        locked = _locked_offer(handover)
        if locked.to_coach_id != by.pk:
            raise HandoverRefused("Only the coach it was offered to can accept it.")
        coachee = Coachee.objects.select_for_update().get(pk=locked.coachee_id)
        if coachee.coach_id != locked.from_coach_id:
            raise HandoverRefused("This coachee is no longer with the coach who offered them.")
        _check_receiver(by, coachee.coach_id)
        from_coach_id = coachee.coach_id
        today = timezone.localdate()
        sessions, minutes = _keep_hours(coachee, from_coach_id, today)
        counts = _move(coachee, by.pk)
        counts["kept:icf_sessions"], counts["kept:icf_minutes"] = sessions, minutes
        locked.state, locked.counts = Handover.State.ACCEPTED, counts
        locked.decided = timezone.now()
        locked.save(update_fields=["state", "decided", "counts"])
        # Every process forgets both coaches' indexes, charts and summaries at its next request.
        search_index.bump(from_coach_id)
        search_index.bump(by.pk)
        search_snapshot.shred(from_coach_id)  # after the bump, as erasure does
        insights_months.forget(from_coach_id)  # their kept months counted the coachee's sessions
        insights_months.forget(by.pk)
        memory.bump()
        memory.forget_coach(from_coach_id)
        memory.forget_coach(by.pk)
        transaction.on_commit(lambda: _forget(from_coach_id, by.pk))
        for coach_id in (from_coach_id, by.pk):
            record(
                AuditEvent.Action.HANDOVER_ACCEPTED,
                coach=User.objects.get(pk=coach_id),
                request=request if coach_id == by.pk else None,
                subject=str(locked.code),
                detail={"from_coach": from_coach_id, "to_coach": by.pk, **_audit_counts(counts)},
            )
    return locked


def _forget(*coach_ids: int) -> None:
    for coach_id in coach_ids:
        memory.forget_coach(coach_id)


def _audit_counts(counts: dict[str, int]) -> dict[str, int]:
    return {label.replace(":", "_").replace(".", "_").lower(): n for label, n in counts.items()}


def close(handover: Handover, by: User, *, request: HttpRequest | None = None) -> Handover:
    """Decline (the receiving coach) or cancel (the offering coach) a waiting offer."""
    with transaction.atomic():
        locked = _locked_offer(handover)
        if by.pk == locked.to_coach_id:
            locked.state = Handover.State.DECLINED
        elif by.pk == locked.from_coach_id:
            locked.state = Handover.State.CANCELLED
        else:
            raise HandoverRefused("Only the two coaches of a hand-over can close it.")
        locked.decided = timezone.now()
        locked.save(update_fields=["state", "decided"])
        action = (
            AuditEvent.Action.HANDOVER_DECLINED
            if locked.state == Handover.State.DECLINED
            else AuditEvent.Action.HANDOVER_CANCELLED
        )
        for coach_id in (locked.from_coach_id, locked.to_coach_id):
            if coach_id is not None:
                record(
                    action,
                    coach=User.objects.get(pk=coach_id),
                    request=request if coach_id == by.pk else None,
                    subject=str(locked.code),
                )
    return locked
