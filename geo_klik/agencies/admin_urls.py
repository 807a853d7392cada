"""The admin pages' old addresses, from before agencies and memberships moved here.

``/admin/dispatch/agency/...`` and ``/admin/accounts/membership/...`` answer a permanent
redirect to the same page under ``/admin/agencies/``, so bookmarks and links keep working.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import re_path, reverse

# (old app label, model name) -> the model's name under agencies
MOVED = {("dispatch", "agency"): "agency", ("accounts", "membership"): "membership"}


def moved_admin_page(
    request: HttpRequest, old_app: str, model: str, rest: str
) -> HttpResponsePermanentRedirect:
    """Redirect one old admin address to the same page of the model under agencies."""
    target = reverse("admin:app_list", kwargs={"app_label": "agencies"})
    # The prefix is fixed, so ``rest`` cannot lead off the admin; quoted, it cannot break the
    # Location header either.
    location = f"{target}{MOVED[(old_app, model)]}/{quote(rest, safe='/')}"
    query = request.META.get("QUERY_STRING", "")
    if query:
        location = f"{location}?{quote(query, safe='=&%+;,/:@')}"
    return HttpResponsePermanentRedirect(location)


urlpatterns = [
    re_path(
        r"^(?P<old_app>dispatch)/(?P<model>agency)/(?P<rest>.*)$",
        moved_admin_page,
    ),
    re_path(
        r"^(?P<old_app>accounts)/(?P<model>membership)/(?P<rest>.*)$",
        moved_admin_page,
    ),
]
