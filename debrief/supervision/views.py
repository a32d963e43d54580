"""The coach's side: share a pack or chosen reflections with a supervisor, see views, revoke."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from debrief.exports.models import SupervisionFlag, SupervisionPack
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest
from debrief.supervision import sharing
from debrief.supervision.access import get_share_for_coach
from debrief.supervision.forms import MAX_SHARED_SESSIONS, ShareForm
from debrief.supervision.models import Share

LISTED_SHARES = 50
LISTED_PACKS = 20
DEFAULT_DAYS = 30


def _choices(request: AuthedRequest) -> dict[str, list[tuple[str, str]]]:
    supervisors = [
        (
            str(m.code),
            f"{m.user.display_name} ({m.user.email})" if m.user.display_name else m.user.email,
        )
        for m in sharing.supervisors_for(request.user)
    ]
    packs = [
        (
            str(p.code),
            f"Pack of {p.created:%-d %b %Y, %H:%M} · {p.n} session{'s' if p.n != 1 else ''}",
        )
        for p in SupervisionPack.objects.for_coach(request.user)
        .annotate(n=Count("sessions"))
        .order_by("-created")[:LISTED_PACKS]
    ]
    flagged = set(
        SupervisionFlag.objects.for_coach(request.user).values_list(
            "reflection__session_id", flat=True
        )
    )
    held = (
        CoachingSession.objects.for_coach(request.user)
        .filter(reflection__isnull=False)
        .select_related("coachee")
        .order_by("-date", "-number")[:MAX_SHARED_SESSIONS]
    )
    sessions = [
        (
            str(s.code),
            f"{s.date:%-d %b %Y} · {s.coachee.display_name}, session {s.number}"
            + (" · marked for supervision" if s.pk in flagged else ""),
        )
        for s in held
    ]
    return {"supervisors": supervisors, "packs": packs, "sessions": sessions}


def _initial(
    request: AuthedRequest, choices: dict[str, list[tuple[str, str]]]
) -> dict[str, object]:
    today = timezone.localdate()
    marked = [code for code, label in choices["sessions"] if label.endswith("for supervision")]
    asked = request.GET.get("pack", "")  # from a pack's review page
    return {
        "what": "pack" if choices["packs"] else "reflections",
        "pack": asked if asked in {code for code, _ in choices["packs"]} else "",
        "starts": today,
        "ends": today + timedelta(days=DEFAULT_DAYS),
        "sessions": marked,
    }


def _page(request: AuthedRequest, form: ShareForm, status: int = 200) -> HttpResponse:
    shares = list(
        Share.objects.for_coach(request.user)
        .select_related("supervisor", "pack")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_pack=Count("pack__sessions", distinct=True),
        )
        .order_by("-created")[:LISTED_SHARES]
    )
    views = sharing.views_of(request.user)
    for share in shares:
        share.views, share.last_view = views.get(str(share.code), (0, None))  # type: ignore[attr-defined]
    ctx = {
        "form": form,
        "shares": shares,
        "has_supervisors": sharing.supervisors_for(request.user).exists(),
    }
    return render(request, "supervision/shares.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def shares(request: AuthedRequest) -> HttpResponse:
    choices = _choices(request)
    if request.method == "GET":
        return _page(request, ShareForm(initial=_initial(request, choices), **choices))
    form = ShareForm(request.POST, **choices)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    member = sharing.supervisors_for(request.user).filter(code=UUID(data["supervisor"])).first()
    if member is None:  # deactivated, or the role taken away, since the page was shown
        form.add_error("supervisor", "That person can no longer be shared with. Choose again.")
        return _page(request, form, status=400)
    pack = sessions = None
    if data["what"] == "pack":
        pack = SupervisionPack.objects.for_coach(request.user).get(code=UUID(data["pack"]))
    else:
        codes = [UUID(c) for c in data["sessions"]]
        sessions = list(CoachingSession.objects.for_coach(request.user).filter(code__in=codes))
    share = sharing.make_share(
        request.user,
        member.user,
        starts=data["starts"],
        ends=data["ends"],
        pack=pack,
        sessions=sessions,
        show_names=data["show_names"],
        request=request,
    )
    messages.success(
        request,
        f"Shared with {member.user} from {share.starts:%-d %B %Y} until {share.ends:%-d %B %Y}. "
        "You can revoke it at any time.",
    )
    return redirect("shares")


@login_required
@require_POST
def share_revoke(request: AuthedRequest, code: UUID) -> HttpResponse:
    share = get_share_for_coach(request, code)
    if sharing.revoke(share, request):
        messages.success(request, f"Revoked: {share.supervisor} can no longer see it.")
    else:
        messages.info(request, "That share was already revoked.")
    return redirect("shares")
