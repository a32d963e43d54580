"""The firm's pages: people, invitations, settings, and joining by an invitation link."""

from __future__ import annotations

from uuid import UUID

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debrief.audit.models import AuditEvent
from debrief.firm import invitations, people
from debrief.firm.access import (
    administrator_required,
    get_invitation_or_404,
    get_membership_or_404,
)
from debrief.firm.forms import ROLE_HELP, InviteForm, RolesForm, SettingsForm
from debrief.firm.models import ROLES, FirmSettings, Invitation, Membership
from debrief.firm.roles import is_administrator, membership_of
from debrief.lib.http import AuthedRequest

FIRM_ACTIONS = (
    AuditEvent.Action.INVITATION_SENT,
    AuditEvent.Action.INVITATION_REVOKED,
    AuditEvent.Action.INVITATION_ACCEPTED,
    AuditEvent.Action.ROLES_CHANGED,
    AuditEvent.Action.ACCOUNT_DEACTIVATED,
    AuditEvent.Action.ACCOUNT_REACTIVATED,
    AuditEvent.Action.FIRM_SETTINGS,
)
LISTED_EVENTS = 30
LISTED_INVITATIONS = 50


def _role_choices(chosen: list[str]) -> list[dict[str, object]]:
    return [
        {"name": name, "label": label, "help": ROLE_HELP[name], "checked": name in chosen}
        for name, label in ROLES
    ]


@login_required
@require_GET
def firm_home(request: AuthedRequest) -> HttpResponse:
    if is_administrator(request.user, request):
        return redirect("firm_people")
    membership = membership_of(request.user, request)
    if membership.supervisor:  # what coaches share with them (debrief/supervision)
        return redirect("supervise_home")
    ctx = {"membership": membership}
    return render(request, "firm/welcome.html", ctx)


@administrator_required
@require_GET
def firm_people(request: AuthedRequest) -> HttpResponse:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    listed = (
        get_user_model()
        .objects.select_related("membership")
        .annotate(two_factor=Exists(totp))
        .order_by("-is_active", "email")
    )
    ctx = {
        "people": listed,
        "invitations": Invitation.objects.select_related("invited_by").order_by("-created")[
            :LISTED_INVITATIONS
        ],
        "events": AuditEvent.objects.filter(action__in=FIRM_ACTIONS)
        .select_related("coach")
        .order_by("-at")[:LISTED_EVENTS],
        "settings": FirmSettings.current(),
    }
    return render(request, "firm/people.html", ctx)


def _invite_page(request: AuthedRequest, form: InviteForm, sent: object = None) -> HttpResponse:
    chosen = form["roles"].value() or []
    ctx = {
        "form": form,
        "roles": _role_choices(list(chosen)),
        "sent": sent,
        "days": settings.DEBRIEF_INVITATION_DAYS,
    }
    return render(request, "firm/invite.html", ctx)


@never_cache
@administrator_required
@require_http_methods(["GET", "POST"])
def firm_invite(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _invite_page(request, InviteForm())
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _invite_page(request, form)
    row, link = invitations.invite(
        request.user, form.cleaned_data["email"], set(form.cleaned_data["roles"]), request
    )
    # The link is shown on this response only (for an installation without mail), never stored.
    return _invite_page(request, InviteForm(), sent={"invitation": row, "link": link})


@administrator_required
@require_POST
def firm_invitation_revoke(request: AuthedRequest, code: UUID) -> HttpResponse:
    row = get_invitation_or_404(code)
    if invitations.revoke(row, request.user, request):
        messages.success(
            request, f"The invitation to {row.email} was revoked: its link no longer works."
        )
    else:
        messages.info(
            request, f"The invitation to {row.email} was already {row.state_label.lower()}."
        )
    return redirect("firm_people")


def _person_page(request: AuthedRequest, membership: Membership, form: RolesForm) -> HttpResponse:
    chosen = form["roles"].value() if form.is_bound else membership.roles
    ctx = {"person": membership, "form": form, "roles": _role_choices(list(chosen or []))}
    return render(request, "firm/person.html", ctx)


@administrator_required
@require_http_methods(["GET", "POST"])
def firm_person(request: AuthedRequest, code: UUID) -> HttpResponse:
    membership = get_membership_or_404(code)
    if request.method != "POST":
        return _person_page(request, membership, RolesForm())
    form = RolesForm(request.POST)
    if not form.is_valid():
        return _person_page(request, membership, form)
    try:
        changed = people.set_roles(
            membership, set(form.cleaned_data["roles"]), request.user, request
        )
    except people.Refused as refused:
        form.add_error("roles", str(refused))
        return _person_page(request, membership, form)
    if changed:
        messages.success(request, f"Roles of {membership.user} saved.")
    return redirect("firm_people")


@administrator_required
@require_POST
def firm_person_deactivate(request: AuthedRequest, code: UUID) -> HttpResponse:
    membership = get_membership_or_404(code)
    try:
        people.deactivate(membership, request.user, request)
    except people.Refused as refused:
        messages.error(request, str(refused))
        return redirect("firm_people")
    messages.success(
        request,
        f"{membership.user} is deactivated and signed out everywhere. Their journal is kept, "
        "sealed, until you reactivate them.",
    )
    return redirect("firm_people")


@administrator_required
@require_POST
def firm_person_reactivate(request: AuthedRequest, code: UUID) -> HttpResponse:
    membership = get_membership_or_404(code)
    if people.reactivate(membership, request.user, request):
        messages.success(request, f"{membership.user} can sign in again.")
    return redirect("firm_people")


@administrator_required
@require_http_methods(["GET", "POST"])
def firm_settings(request: AuthedRequest) -> HttpResponse:
    current = FirmSettings.current()
    if request.method != "POST":
        initial = {"name": current.name, "require_two_factor": current.require_two_factor}
        return render(request, "firm/settings.html", {"form": SettingsForm(initial=initial)})
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return render(request, "firm/settings.html", {"form": form})
    data = form.cleaned_data
    if people.save_settings(data["name"], data["require_two_factor"], request.user, request):
        messages.success(request, "The firm's settings were saved.")
    return redirect("firm_settings")


@never_cache
@require_GET
def firm_join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: opens sign-up for its address, in this browser only."""
    row = invitations.find_pending(token)
    if row is None:
        return render(request, "firm/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "firm/invitation_signed_in.html", {"invitation": row})
    invitations.remember(request, row)
    return redirect(f"{reverse('account_signup')}?{urlencode({'email': row.email})}")
