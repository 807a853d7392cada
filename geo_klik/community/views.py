"""The forum pages under /komunitas/: boards, a post with comments, forms, moderation, sign-up.

Every form posts normally (no JavaScript needed); the maps are an enhancement.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geo_klik.accounts import login_guard
from geo_klik.boundaries import cities
from geo_klik.community import actions, forms, queries
from geo_klik.community.models import Comment, Post
from geo_klik.lib import geo
from geo_klik.maps import assets, builders
from geo_klik.moderation import rules
from geo_klik.moderation.actions import moderate as moderate_content
from geo_klik.residents import client

PAGE_SIZE = 20
NEAR_RADIUS_M = 2000.0
TARGET_TYPES = {"pos": Post, "komentar": Comment}


def _map_context() -> dict[str, Any]:
    fmap = builders.resident_map()
    return {"map": assets.embed(fmap), "map_name": fmap.get_name()}


def _client(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return client.config(
        request,
        community={
            "urls": {
                "posts": reverse("community-api-posts"),
                "board": reverse("community-board"),
            },
            "strings": {
                "nearMe": gettext("Near me"),
                "locating": gettext("Finding your location…"),
                "locateFailed": gettext("Your location is not available."),
                "mapCount": gettext("{count} post(s) and event(s) on the map"),
                "mapEmpty": gettext("No posts with a location here."),
                "truncated": gettext("Only the newest are shown: zoom in for more."),
                "open": gettext("Open"),
                "pinHere": gettext("Pinned in Kelurahan {name}"),
                "pinOutside": gettext("This point is outside %(city)s: move the pin into the city.")
                % {"city": cities.served().name},
                "pinNone": gettext("Not pinned. Tap the map to pin a place (optional)."),
                "approximate": gettext("approximate position"),
                "demo": gettext("example / demo"),
            },
            **extra,
        },
    )


def _language() -> str:
    return (get_language() or "id")[:2]


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _page(request: HttpRequest, rows: QuerySet[Any] | list[Any]) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))


def _add_error(form: Any, error: actions.CommunityError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message(_language()))


# -- sign-up -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """/komunitas/daftar/: a resident account; logs in and returns to ?next."""
    next_url = _next_url(request, reverse("community-board"))
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            home_kelurahan=form.cleaned_data.get("home_kelurahan"),
        )
        login(request, user, backend="geo_klik.accounts.backends.RateLimitedModelBackend")
        messages.success(request, gettext("Welcome! Your account is ready."))
        return redirect(next_url)
    context = {"page": "community", "form": form, "next": next_url, "client": _client(request)}
    return render(request, "community/signup.html", context)


# -- boards ------------------------------------------------------------------------------------


def _board_query(request: HttpRequest) -> dict[str, Any]:
    form = forms.BoardQueryForm(request.GET)
    form.is_valid()
    return form.cleaned_data


def _board_context(request: HttpRequest, kelurahan: Any) -> dict[str, Any]:
    query = _board_query(request)
    kind = query["kind"]
    wanted = queries.BoardFilter(kelurahan=kelurahan, kind=kind)
    near = None
    lat_lon = query["position"]
    if lat_lon is not None:
        near = list(queries.posts_near(request.user, *lat_lon, radius_m=NEAR_RADIUS_M)[:PAGE_SIZE])
    return {
        **_map_context(),
        "page": "community",
        "kelurahan": kelurahan,
        "kind": kind or "",
        "kinds": Post.Kind.choices,
        "kelurahan_choices": queries.kelurahan_choices(),
        "events": queries.upcoming_events(request.user, wanted),
        "posts": _page(request, queries.board_posts(request.user, wanted)),
        "near": near,
        "near_radius_km": NEAR_RADIUS_M / 1000,
        "client": _client(
            request,
            kelurahan=kelurahan.code_kemendagri if kelurahan else "",
            kind=kind or "",
        ),
    }


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """/komunitas/: the city board (a kelurahan chosen in the filter opens its board)."""
    query = _board_query(request)
    if query["kelurahan"]:
        try:
            target = reverse("community-kelurahan", args=[query["kelurahan"]])
        except NoReverseMatch:  # a "/" in the code: no such kelurahan
            raise Http404("no such kelurahan") from None
        kind = query["raw_kind"]
        return redirect(f"{target}?{urlencode({'jenis': kind})}" if kind else target)
    return render(request, "community/board.html", _board_context(request, None))


@require_safe
def kelurahan_board(request: HttpRequest, code: str) -> HttpResponse:
    """/komunitas/kelurahan/<code>/: one kelurahan's posts, plus the city-wide ones."""
    kelurahan = queries.kelurahan_by_code(code)
    if kelurahan is None:
        raise Http404("no such kelurahan")
    return render(request, "community/board.html", _board_context(request, kelurahan))


# -- a post ------------------------------------------------------------------------------------


def _visible_post(request: HttpRequest, post_id: int) -> Post:
    post = queries.post_for(request.user, post_id)
    if post is None:
        raise Http404("no such post")
    return post


def _detail(
    request: HttpRequest,
    post: Post,
    *,
    comment_form: forms.CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_moderator = rules.can_moderate(user)
    ban = queries.active_ban(user)
    context = {
        **(_map_context() if post.location is not None else {}),
        "page": "community",
        "post": post,
        "lat_lon": geo.lat_lon(post.location) if post.location is not None else None,
        "comments": list(queries.comments_visible_to(user, post)),
        "comment_form": comment_form or forms.CommentForm(),
        "flag_form": forms.FlagForm(),
        "is_author": user.is_authenticated and post.author_id == user.pk,
        "is_moderator": is_moderator,
        "has_flagged": queries.has_flagged(user, post),
        "open_flags": list(queries.open_flags(post)) if is_moderator else [],
        "ban_message": _ban_message(ban),
        "client": _client(
            request,
            post={"lat_lon": geo.lat_lon(post.location) if post.location else None},
        ),
    }
    return render(request, "community/post_detail.html", context, status=status)


def _ban_message(ban: Any) -> str:
    if ban is None:
        return ""
    try:
        actions.ensure_not_banned(ban.user)
    except actions.Banned as banned:
        return banned.message(_language())
    return ""


@require_safe
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """/komunitas/pos/<id>/: the post, its comments, and the forms to comment and report."""
    return _detail(request, _visible_post(request, post_id))


def _form_page(request: HttpRequest, form: forms.PostForm, post: Post | None) -> HttpResponse:
    context = {
        **_map_context(),
        "page": "community",
        "form": form,
        "post": post,
        "client": _client(request, form=True),
    }
    return render(request, "community/post_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def create_post(request: HttpRequest) -> HttpResponse:
    """/komunitas/pos/baru/: write a post or an event (?kelurahan=<code> preselects it)."""
    if request.method == "GET":
        initial: dict[str, Any] = {}
        code = request.GET.get("kelurahan")
        kelurahan = queries.kelurahan_by_code(code) if code else None
        if kelurahan is not None:
            initial["kelurahan"] = kelurahan
        if request.GET.get("jenis") == Post.Kind.EVENT:
            initial["kind"] = Post.Kind.EVENT
        return _form_page(request, forms.PostForm(initial=initial), None)
    form = forms.PostForm(request.POST)
    if form.is_valid():
        try:
            post = actions.create_post(request.user, form.fields_for_action())
        except actions.CommunityError as error:
            _add_error(form, error)
        else:
            messages.success(request, gettext("Your post is published."))
            return redirect("community-post", post_id=post.pk)
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """/komunitas/pos/<id>/ubah/: the author rewrites the post."""
    post = _visible_post(request, post_id)
    if post.author_id != request.user.pk:
        return HttpResponseForbidden(gettext("Only its author can change this post."))
    if request.method == "GET":
        return _form_page(request, forms.PostForm(initial=forms.PostForm.initial_for(post)), post)
    form = forms.PostForm(request.POST)
    if form.is_valid():
        try:
            actions.edit_post(post, request.user, form.fields_for_action())
        except actions.CommunityError as error:
            _add_error(form, error)
        else:
            messages.success(request, gettext("Your changes are saved."))
            return redirect("community-post", post_id=post.pk)
    return _form_page(request, form, post)


@login_required
@require_POST
def delete_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author deletes (hides) the post."""
    post = _visible_post(request, post_id)
    try:
        actions.delete_post(post, request.user)
    except actions.CommunityError as error:
        return HttpResponseForbidden(error.message(_language()))
    messages.success(request, gettext("Your post is deleted: nobody else can see it now."))
    return redirect("community-board")


@login_required
@require_POST
def add_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(post, request.user, form.cleaned_data["body"])
        except actions.CommunityError as error:
            _add_error(form, error)
        else:
            messages.success(request, gettext("Your comment is posted."))
            return redirect(reverse("community-post", args=[post.pk]) + "#komentar")
    return _detail(request, post, comment_form=form, status=400)


def _target(request: HttpRequest, target_type: str, target_id: int) -> Post | Comment:
    model = TARGET_TYPES.get(target_type)
    target: Post | Comment | None = None
    if model is Post:
        target = queries.post_for(request.user, target_id)
    elif model is Comment:
        target = queries.comment_for(request.user, target_id)
    if target is None:
        raise Http404("no such post or comment")
    return target


def _post_url(target: Post | Comment) -> str:
    post_id = target.pk if isinstance(target, Post) else target.post_id
    return reverse("community-post", args=[post_id])


@login_required
@require_POST
def flag(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """Report a post (``pos``) or a comment (``komentar``) to the moderators."""
    target = _target(request, target_type, target_id)
    form = forms.FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a reason for the report."))
    else:
        try:
            actions.flag(
                target,
                request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except actions.CommunityError as error:
            messages.error(request, error.message(_language()))
        else:
            messages.success(request, gettext("Thank you. A moderator will look at it."))
    return redirect(_next_url(request, _post_url(target)))


# -- moderation --------------------------------------------------------------------------------


def _moderator_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "accounts:login")
    if not rules.can_moderate(request.user):
        return HttpResponseForbidden(gettext("Only moderators can open this page."))
    return None


@never_cache  # personal or moderation data: never stored offline
@require_safe
def moderation(request: HttpRequest) -> HttpResponse:
    """/komunitas/moderasi/: auto-hidden and flagged items, and the bans in force."""
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    context = {
        "page": "community",
        "queue_posts": _page(request, queries.moderation_queue_posts()),
        "queue_comments": list(queries.moderation_queue_comments()[:100]),
        "bans": list(queries.active_bans().select_related("user", "created_by")[:100]),
        "ban_form": forms.BanForm(),
        "client": _client(request),
    }
    return render(request, "community/moderation.html", context)


@require_POST
def moderate(request: HttpRequest, target_type: str, target_id: int, verb: str) -> HttpResponse:
    """Hide, unhide or dismiss the flags of a post or comment (moderators)."""
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    target = _target(request, target_type, target_id)
    form = forms.ModerationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    address = login_guard.client_address(request)
    try:
        if verb == "sembunyikan":
            moderate_content(target, "hide", request.user, reason, address=address)
        elif verb == "tampilkan":
            moderate_content(target, "unhide", request.user, reason, address=address)
        elif verb == "abaikan":
            actions.dismiss_flags(target, request.user, note=reason, address=address)
        else:
            raise Http404("no such moderation action")
    except actions.CommunityError as error:
        messages.error(request, error.message(_language()))
    else:
        messages.success(request, gettext("Done."))
    return redirect(_next_url(request, reverse("community-moderation")))


@require_POST
def ban(request: HttpRequest) -> HttpResponse:
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    form = forms.BanForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give an existing username and a reason."))
    else:
        try:
            actions.ban(
                form.cleaned_data["username"],
                request.user,
                reason=form.cleaned_data["reason"],
                until=form.until(),
                address=login_guard.client_address(request),
            )
        except actions.CommunityError as error:
            messages.error(request, error.message(_language()))
        else:
            messages.success(request, gettext("The user is banned."))
    return redirect(_next_url(request, reverse("community-moderation")))


@require_POST
def lift_ban(request: HttpRequest, ban_id: int) -> HttpResponse:
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    row = queries.ban_history().filter(pk=ban_id).first()
    if row is None:
        raise Http404("no such ban")
    actions.lift_ban(row, request.user, address=login_guard.client_address(request))
    messages.success(request, gettext("The ban is lifted."))
    return redirect(_next_url(request, reverse("community-moderation")))
