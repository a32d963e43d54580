"""The hand-over pages: offer a coachee to another coach, and accept, decline or cancel.

Only the two coaches of a hand-over see it; anyone else gets a 404. The receiving coach sees
the coachee's name and the counts (what they are asked to take on), never a note, until they
accept. The offering coach keeps, after the move, the date, the coach and the counts only.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from debrief.accounts.models import User
from debrief.coachees import handover as ho
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.forms import HandoverForm
from debrief.coachees.models import Handover
from debrief.lib.http import AuthedRequest


def _coach_label(user: User | None) -> str:
    if user is None:
        return "a coach who has left"
    return user.display_name or user.email


def _receivers(request: AuthedRequest) -> list[tuple[str, str]]:
    return [(str(u.pk), _coach_label(u)) for u in ho.receivers_for(request.user)]


def _open_offer(coachee_id: int) -> Handover | None:
    return (
        Handover.objects.filter(coachee_id=coachee_id, state=Handover.State.OFFERED)
        .select_related("to_coach")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def coachee_handover(request: AuthedRequest, code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, code)
    receivers = _receivers(request)
    form = HandoverForm(request.POST or None, receivers=receivers)
    waiting = _open_offer(coachee.pk)
    if request.method == "POST" and waiting is None and form.is_valid():
        data = form.cleaned_data
        to_coach = User.objects.get(pk=int(data["to_coach"]))
        try:
            offered = ho.offer(
                coachee,
                to_coach,
                consent_on=data["consent_on"],
                consent_how=data["consent_how"],
                consent_note=data["consent_note"],
                request=request,
            )
        except ho.HandoverRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Offered to {_coach_label(to_coach)}. Nothing moves until they accept; "
                "you can cancel until then.",
            )
            return redirect("handover_detail", offered.code)
    ctx = {
        "coachee": coachee,
        "form": form,
        "waiting": waiting,
        "preview": ho.preview(coachee),
        "receivers": receivers,
    }
    return render(request, "coachees/handover.html", ctx)


def _handover_for(request: AuthedRequest, code: UUID) -> Handover:
    """The choke point for a hand-over: only its two coaches reach it; anyone else, a 404."""
    mine = Q(from_coach=request.user) | Q(to_coach=request.user)
    found = (
        Handover.objects.filter(mine, code=code)
        .select_related("coachee", "from_coach", "to_coach")
        .first()
    )
    if found is None:
        raise Http404("No such hand-over")
    return found


def _detail_context(request: AuthedRequest, handover: Handover) -> dict[str, object]:
    receiving = handover.to_coach_id == request.user.pk
    waiting = handover.state == Handover.State.OFFERED
    # The coachee's name: to the coach who holds them, and to the one asked to take them on.
    holds = handover.coachee.coach_id == request.user.pk
    return {
        "handover": handover,
        "receiving": receiving,
        "waiting": waiting,
        "show_name": holds or (receiving and waiting),
        "show_note": holds,
        "preview": ho.preview(handover.coachee) if waiting else None,
        "from_label": _coach_label(handover.from_coach),
        "to_label": _coach_label(handover.to_coach),
        "counts": _count_lines(handover.counts),
    }


def _count_lines(counts: dict[str, int]) -> list[tuple[str, int]]:
    moved = [(label, n) for label, n in counts.items() if n and ":" not in label]
    return [(ho.LABELS.get(label, label), n) for label, n in moved]


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    handover = _handover_for(request, code)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                ho.accept(handover, request.user, request=request)
                messages.success(request, "Handed over: their whole history is now yours.")
                return redirect("coachee_detail", handover.coachee.code)
            if action in ("decline", "cancel"):
                closed = ho.close(handover, request.user, request=request)
                messages.success(request, f"{closed.get_state_display()}. Nothing moved.")
                return redirect("handovers")
            messages.error(request, "Choose to accept, decline or cancel the hand-over.")
        except ho.HandoverRefused as refused:
            messages.error(request, str(refused))
        return redirect("handover_detail", handover.code)
    return render(request, "coachees/handover_detail.html", _detail_context(request, handover))


@login_required
@require_GET
def handovers(request: AuthedRequest) -> HttpResponse:
    mine = Q(from_coach=request.user) | Q(to_coach=request.user)
    rows = (
        Handover.objects.filter(mine)
        .select_related("from_coach", "to_coach")
        .order_by("-created")[:200]
    )
    listed = [
        {
            "handover": h,
            "incoming": h.to_coach_id == request.user.pk,
            "other": _coach_label(h.from_coach if h.to_coach_id == request.user.pk else h.to_coach),
        }
        for h in rows
    ]
    return render(request, "coachees/handovers.html", {"rows": listed})
