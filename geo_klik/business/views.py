"""The directory's pages under /usaha/: thin views over ``queries`` and ``actions``.

Every form POSTs normally (no JavaScript needed); the map is an enhancement drawn by
``business/business.js`` from the same API the map layers use.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geo_klik.boundaries import cities
from geo_klik.business import actions, forms, inputs, queries
from geo_klik.business.models import CATEGORIES, Business, Claim, Promotion, Revision
from geo_klik.lib import errors, geo, opening_hours
from geo_klik.lib.language import english
from geo_klik.maps import assets, builders
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate as moderate_content
from geo_klik.residents import client

PAGE_SIZE = 20
GET_OR_POST = ["GET", "POST"]


def _map_context(*, lat: float | None = None, lon: float | None = None) -> dict[str, Any]:
    fmap = builders.resident_map(lat=lat, lon=lon)
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


def _client(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return client.config(
        request,
        business={
            "urls": {
                "list": reverse("business-api-list"),
                "promotions": reverse("business-api-promotions"),
            },
            "strings": {
                "openNow": gettext("Open now"),
                "closedNow": gettext("Closed now"),
                "hoursUnknown": gettext("Opening hours unknown"),
                "demo": gettext("demo"),
                "approximate": gettext("approximate position"),
                "details": gettext("Details"),
                "pinHere": gettext("Location chosen: {lat}, {lon}"),
                "pinOutside": gettext(
                    "This point is outside %(city)s: the directory lists businesses "
                    "inside the city only."
                )
                % {"city": cities.served().name},
            },
            **extra,
        },
    )


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], **client_extra: Any
) -> HttpResponse:
    context.setdefault("page", "business")
    context.setdefault("client", _client(request, **client_extra))
    context.setdefault("is_moderator", rules.can_moderate(request.user))
    return render(request, template, context)


def _visible_or_404(request: HttpRequest, slug: str) -> Business:
    business = queries.business_for(request.user, slug)
    if business is None:
        raise Http404("no such business")
    return business


def _owned_or_403(request: HttpRequest, slug: str) -> Business:
    business = _visible_or_404(request, slug)
    if not queries.is_owner(request.user, business):
        raise PermissionDenied(gettext("Only the owner of this business may do this."))
    return business


def _choices() -> list[tuple[str, str, str]]:
    return [
        (code, icon, name_en if english() else name_id)
        for code, (name_id, name_en, icon) in CATEGORIES.items()
    ]


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """/usaha/: search, category, "open now", the map and a paginated list."""
    form = forms.DirectoryQueryForm(request.GET)
    form.is_valid()
    text, category = form.cleaned_data["q"], form.cleaned_data["category"]
    only_open = form.cleaned_data["open_now"]
    at = queries.current_time()
    rows = list(queries.filtered(queries.published_businesses(), text=text, category=category))
    if only_open:
        rows = queries.open_now(rows, at)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [(b, opening_hours.is_open(b.opening_hours, at)) for b in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_map_context(),
        "entries": entries,
        "page_obj": page,
        "count": len(rows),
        "q": text,
        "category": category,
        "open_now": only_open,
        "categories": _choices(),
        "query": query.urlencode(),
    }
    filters = {"q": text, "category": category, "open_now": "1" if only_open else ""}
    return _page(request, "business/directory.html", context, filters=filters, mode="directory")


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/usaha/<slug>/: contact, hours, promotions, map, and the claim/change/moderate buttons."""
    business = _visible_or_404(request, slug)
    at = queries.current_time()
    owner = queries.is_owner(request.user, business)
    lat, lon = geo.lat_lon(business.location)
    context = {
        **_map_context(lat=lat, lon=lon),
        "business": business,
        "open": opening_hours.is_open(business.opening_hours, at),
        "promotions": list(queries.promotions_of(business, request.user)),
        "now": at,
        "is_owner": owner,
        "private": queries.sees_moderation(request.user, business),
        "my_claim": (
            queries.pending_claim(request.user, business) if request.user.is_authenticated else None
        ),
        "reason_form": forms.ReasonForm(),
    }
    marker = {"lat": lat, "lon": lon, "title": business.name, "icon": business.category_icon}
    return _page(request, "business/detail.html", context, mode="detail", marker=marker)


@login_required
@require_http_methods(GET_OR_POST)
def propose(request: HttpRequest) -> HttpResponse:
    """/usaha/baru/: a resident proposes a listing (pending until a moderator approves)."""
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = inputs.checked(inputs.ListingSerializer, form.listing_data())
            business = actions.propose_business(
                request.user, listing, is_owner=form.cleaned_data["is_owner"]
            )
        except (errors.Invalid, actions.Refused) as refused:
            forms.show_refusal(form, refused)
        else:
            messages.success(
                request,
                gettext(
                    "Thank you. Your proposal waits for a moderator; you see it under My business."
                ),
            )
            return redirect("business-detail", slug=business.slug)
    context = {**_map_context(), "form": form, "title": gettext("Propose a business")}
    return _page(request, "business/listing_form.html", context, mode="pick")


@login_required
@require_http_methods(GET_OR_POST)
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    """/usaha/<slug>/klaim/: ask to become the owner of an unowned listing."""
    business = _visible_or_404(request, slug)
    form = forms.ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.ensure_claimable(request.user, business)
            evidence = inputs.checked(inputs.ClaimSerializer, form.cleaned_data)
            actions.claim_business(request.user, business, **evidence)
        except (errors.Invalid, actions.Refused) as refused:
            forms.show_refusal(form, refused)
        else:
            messages.success(request, gettext("Your claim was sent. A moderator will review it."))
            return redirect("business-mine")
    context = {
        "business": business,
        "form": form,
        "pending": queries.pending_claim(request.user, business),
    }
    return _page(request, "business/claim.html", context)


@login_required
@require_http_methods(GET_OR_POST)
def revise(request: HttpRequest, slug: str) -> HttpResponse:
    """/usaha/<slug>/ubah/: the owner's change form; it creates a revision to review."""
    business = _owned_or_403(request, slug)
    form = forms.ListingForm(request.POST or None, initial=forms.initial_of(business))
    if request.method == "POST" and form.is_valid():
        try:
            changes = inputs.checked(inputs.RevisionSerializer, form.listing_data())
            actions.propose_revision(request.user, business, changes)
        except (errors.Invalid, actions.Refused) as refused:
            forms.show_refusal(form, refused)
        else:
            messages.success(
                request, gettext("Your changes were sent. A moderator will review them.")
            )
            return redirect("business-mine")
    lat, lon = geo.lat_lon(business.location)
    context = {
        **_map_context(lat=lat, lon=lon),
        "form": form,
        "business": business,
        "title": gettext("Change %(name)s") % {"name": business.name},
    }
    return _page(request, "business/listing_form.html", context, mode="pick")


@login_required
@require_http_methods(GET_OR_POST)
def new_promotion(request: HttpRequest, slug: str) -> HttpResponse:
    """/usaha/<slug>/promosi/baru/: the owner proposes an event or a promotion."""
    business = _owned_or_403(request, slug)
    form = forms.PromotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.ensure_promoter(request.user, business)
            promotion = inputs.checked(inputs.PromotionSerializer, form.cleaned_data)
            actions.propose_promotion(request.user, business, **promotion)
        except (errors.Invalid, actions.Refused) as refused:
            forms.show_refusal(form, refused)
        else:
            messages.success(
                request, gettext("Your promotion was sent. A moderator will review it.")
            )
            return redirect("business-mine")
    lat, lon = geo.lat_lon(business.location)
    context = {**_map_context(lat=lat, lon=lon), "form": form, "business": business}
    return _page(request, "business/promotion_form.html", context, mode="pick")


@never_cache  # personal or moderation data: never stored offline
@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """/usaha/saya/: my listings, proposals, claims, revisions, promotions, with reasons."""
    return _page(request, "business/mine.html", {"mine": queries.mine(request.user)})


@require_safe
def promotions(request: HttpRequest) -> HttpResponse:
    """/usaha/promosi/: events and promotions running now and coming up."""
    at = queries.current_time()
    rows = list(queries.public_promotions(at))
    context = {
        **_map_context(),
        "current": [p for p in rows if p.starts_at <= at],
        "upcoming": [p for p in rows if p.starts_at > at],
    }
    return _page(request, "business/promotions.html", context, mode="promotions")


def _require_moderator_page(request: HttpRequest) -> None:
    if not rules.can_moderate(request.user):
        raise PermissionDenied(gettext("Only moderators may see this page."))


@never_cache  # personal or moderation data: never stored offline
@login_required
@require_safe
def moderation(request: HttpRequest) -> HttpResponse:
    """/usaha/moderasi/: what waits for a moderator."""
    _require_moderator_page(request)
    context = {"queue": queries.moderation_queue(), "reason_form": forms.ReasonForm()}
    return _page(request, "business/moderation.html", context)


MODELS: dict[str, type[Business] | type[Claim] | type[Revision] | type[Promotion]] = {
    "business": Business,
    "claim": Claim,
    "revision": Revision,
    "promotion": Promotion,
}


def _decide(
    user: Any, obj: Business | Claim | Revision | Promotion, verb: str, form: forms.ReasonForm
) -> None:
    if not type(obj).moderation.allows(verb):
        raise Http404("no such action")
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    confirm = bool(form.cleaned_data.get("confirm_stale")) if form.is_valid() else False
    moderate_content(obj, verb, user, reason, confirm_stale=confirm)


@login_required
@require_POST
def moderate(request: HttpRequest, kind: str, pk: int, verb: str) -> HttpResponse:
    """POST /usaha/moderasi/<kind>/<id>/<verb>/: one moderator decision, then back."""
    _require_moderator_page(request)
    model = MODELS.get(kind)
    obj = model.objects.filter(pk=pk).first() if model is not None else None
    if obj is None:
        raise Http404("nothing to moderate")
    try:
        _decide(request.user, obj, verb, forms.ReasonForm(request.POST))
    except actions.Refused as refused:
        for problem in refused.problems:
            messages.error(request, problem.message_en if english() else problem.message)
    else:
        messages.success(request, gettext("Done."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("business-moderation")
