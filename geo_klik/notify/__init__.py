"""Notifications to the reporter of a KLIK report: e-mail, SMS gateway, Web Push."""
