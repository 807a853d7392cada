"""Open311 API keys, and what an Open311 client sent with a report that a Report cannot hold."""

from __future__ import annotations

import hashlib

from django.db import models


def hash_key(raw_key: str) -> str:
    """The stored form of an API key: its SHA-256 hex digest (the key itself is never stored)."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A key that lets one Open311 client (an app, a partner's system) file service requests.

    Only a SHA-256 hash of the key is stored, with a short prefix to recognise it in the admin;
    the key itself is shown once, when it is created.
    """

    name = models.CharField(max_length=100, help_text="Who holds the key (an app, an office).")
    prefix = models.CharField(max_length=16, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "kunci API Open311 / Open311 API key"
        verbose_name_plural = "kunci API Open311 / Open311 API keys"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceRequest(models.Model):
    """The Open311 side of a report filed through Open311.

    Which key filed it, and the fields of a GeoReport v2 POST that a KLIK report has no place
    for. ``media_url`` is a link the client gave; geo_klik never fetches it (no outbound
    network, and a photo must be checked and stripped of metadata before it is stored), so it is
    kept as given and published only when the report has no photo of its own and its category
    is not sensitive. ``device_id`` and ``account_id`` identify the client's user: they are
    never published.
    """

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="open311"
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    media_url = models.URLField(max_length=1000, blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    # attribute[<code>] answers, checked against the service's ServiceAttribute rows.
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "permintaan Open311 / Open311 service request"
        verbose_name_plural = "permintaan Open311 / Open311 service requests"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Open311 {self.report_id}"


class ServiceAttribute(models.Model):
    """One extra question a service asks (GeoReport v2 service definition ``attributes``).

    A category with active attributes is listed with ``metadata`` true; ``services/<code>``
    describes them and POST requests checks ``attribute[<code>]`` against them. Answers are
    stored on the ``ServiceRequest`` and never published (a free-text answer can name anyone).
    """

    class Datatype(models.TextChoices):
        STRING = "string", "string (satu baris / one line)"
        NUMBER = "number", "number (angka / a number)"
        DATETIME = "datetime", "datetime (W3C)"
        TEXT = "text", "text (beberapa baris / several lines)"
        SINGLEVALUELIST = "singlevaluelist", "singlevaluelist (pilih satu / pick one)"
        MULTIVALUELIST = "multivaluelist", "multivaluelist (pilih beberapa / pick several)"

    category = models.ForeignKey(
        "reports.Category", on_delete=models.CASCADE, related_name="open311_attributes"
    )
    code = models.SlugField(max_length=40, help_text="The name in attribute[<code>].")
    datatype = models.CharField(max_length=20, choices=Datatype.choices)
    required = models.BooleanField(default=False)
    # GeoReport: false for an attribute that is only information shown to the user.
    variable = models.BooleanField(default=True)
    description_id = models.CharField(max_length=300)
    description_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=1)
    # For the list types: [{"key": "...", "name_id": "...", "name_en": "..."}, ...].
    values = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "atribut layanan Open311 / Open311 service attribute"
        verbose_name_plural = "atribut layanan Open311 / Open311 service attributes"
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="one_attribute_code"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    @property
    def value_keys(self) -> list[str]:
        return [str(value.get("key", "")) for value in self.values if isinstance(value, dict)]


class UpdateReceipt(models.Model):
    """An update an Open311 client POSTed to a request it created, as the timeline entry made.

    ``external_id`` is the client's own id of the update (mySociety's ``update_id_ext``): a
    client that sends the same update again (its answer was lost) gets the same ``update_id``.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="updates")
    external_id = models.CharField(max_length=100, blank=True)
    event = models.OneToOneField(
        "reports.ReportEvent", on_delete=models.CASCADE, related_name="open311_receipt"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_update_per_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.external_id} → {self.event_id}"


class ExternalServer(models.Model):
    """An SKPD's own GeoReport v2 server: its reports go there instead of by e-mail or webhook.

    geo_klik POSTs each report routed to the SKPD as a service request (with the key the
    remote server issued to geo_klik, which therefore has to be stored as given), keeps the
    remote's ``service_request_id``, and pulls the remote's ``servicerequestupdates`` into the
    report's public timeline.
    """

    class Format(models.TextChoices):
        XML = "xml", "XML"
        JSON = "json", "JSON"

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="open311_server"
    )
    endpoint_url = models.URLField(
        max_length=500, help_text="The endpoint of its discovery, e.g. https://host/open311/v2/"
    )
    api_key = models.CharField(max_length=200, help_text="The key the remote server gave us.")
    jurisdiction_id = models.CharField(max_length=100, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.XML)
    # Our category code -> the remote's service_code; a code not listed is sent as it is.
    service_codes = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    pull_updates = models.BooleanField(default=True)
    # The remote's updates are read from here on (its updated_datetime), advanced each pull.
    updates_pulled_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "server Open311 SKPD / SKPD's Open311 server"
        verbose_name_plural = "server Open311 SKPD / SKPDs' Open311 servers"

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.endpoint_url}"

    def service_code_for(self, category_code: str) -> str:
        mapped = self.service_codes.get(category_code) if self.service_codes else None
        return str(mapped) if mapped else category_code


class OutgoingRequest(models.Model):
    """One report sent (or to send) to one SKPD's Open311 server: never more than one.

    The unique (report, server) row is made in the routing transaction, so a routed report is
    never forgotten; a sender claims an attempt with a conditional update (``state`` pending
    and ``attempts`` unchanged -> sending), so two workers never POST it at once. The one
    window left: the remote accepted the POST and geo_klik died (or lost the answer) before
    recording its id. The row then stays ``sending``; before POSTing it again, the sender
    searches the remote's requests for the report's tracking code in their descriptions and
    adopts the one it finds (see ``outgoing.recover``).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Menunggu / Pending"
        SENDING = "sending", "Sedang dikirim / Sending"
        SENT = "sent", "Terkirim / Sent"
        FAILED = "failed", "Gagal / Failed"

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="open311_outgoing"
    )
    server = models.ForeignKey(ExternalServer, on_delete=models.PROTECT, related_name="requests")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # An attempt failed where the remote may have filed it: look for it before POSTing again.
    maybe_sent = models.BooleanField(default=False)
    # The remote's id, or its token until the id is known (GeoReport's deferred answers).
    external_id = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "permintaan Open311 keluar / outgoing Open311 request"
        verbose_name_plural = "permintaan Open311 keluar / outgoing Open311 requests"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "server"], name="one_outgoing_per_server"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="open311_outgoing_state")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.server_id} ({self.state})"


class IncomingUpdate(models.Model):
    """An update pulled from an SKPD's server, as the timeline entry it became (once each)."""

    server = models.ForeignKey(ExternalServer, on_delete=models.CASCADE, related_name="updates")
    update_id = models.CharField(max_length=100)
    outgoing = models.ForeignKey(OutgoingRequest, on_delete=models.CASCADE, related_name="updates")
    event = models.ForeignKey(
        "reports.ReportEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["server", "update_id"], name="one_pulled_update"),
        ]

    def __str__(self) -> str:
        return f"{self.server_id}:{self.update_id}"
