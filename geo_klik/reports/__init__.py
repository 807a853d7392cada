"""KLIK intake: reports, photos, idempotent submission, public tracking, Open311."""
