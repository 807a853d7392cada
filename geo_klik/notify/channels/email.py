"""E-mail to the reporter through Django's e-mail backend (SMTP in production)."""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from geo_klik.notify.channels.base import Channel, Refused, Rendered, Retry

if TYPE_CHECKING:
    from geo_klik.notify.models import ReporterContact


class EmailChannel(Channel):
    """Sends one plain-text e-mail per message (Django's EMAIL_* settings)."""

    name = "email"

    def reaches(self, contact: ReporterContact) -> bool:
        return bool(contact.email)

    def send(self, contact: ReporterContact, rendered: Rendered) -> None:
        mail = EmailMessage(
            subject=rendered.subject,
            body=f"{rendered.text}\n\n{rendered.url}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[contact.email],
            connection=get_connection(timeout=settings.NOTIFY_EMAIL_TIMEOUT_S),
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            # Error texts keep the SMTP code only: the server's text may echo the address.
            codes = sorted({code for code, _ in exc.recipients.values()})
            if all(500 <= code < 600 for code in codes):
                raise Refused(f"SMTP recipient refused {codes}") from None
            raise Retry(f"SMTP recipient deferred {codes}") from None
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise Refused(f"SMTP {exc.smtp_code}") from None
            raise Retry(f"SMTP {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise Retry(f"SMTP unreachable: {type(exc).__name__}") from None
