"""Triggers that tell the live console what changed (PostgreSQL NOTIFY, see control/live.py).

Triggers, not a publish step in Python: every writer (web, Celery workers, the admin, bulk
updates, raw SQL) is seen, and a NOTIFY is delivered only when its transaction commits, so the
console is never told of a change that was rolled back nor misses one that committed. The
payload says only what changed and for which agencies: ``{"k": kind, "a": [agency ids]}``.
Identical payloads in one transaction are delivered once (PostgreSQL folds them), so a batch of
routings notifies each agency once.
"""

from django.db import migrations

CHANNEL = "geo_klik_console"

FORWARD = f"""
CREATE FUNCTION geo_klik_console_notify(kind text, agencies bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        '{CHANNEL}',
        json_build_object(
            'k', kind,
            'a', ARRAY(SELECT DISTINCT x FROM unnest(agencies) x WHERE x IS NOT NULL ORDER BY x)
        )::text
    );
END $$;

-- A new report: only city-wide consoles see it before it is routed (no agency yet).
CREATE FUNCTION geo_klik_console_report_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM geo_klik_console_notify('reports', '{{}}');
    RETURN NULL;
END $$;
CREATE TRIGGER console_report_inserted AFTER INSERT ON reports_report
    FOR EACH STATEMENT EXECUTE FUNCTION geo_klik_console_report_inserted();

-- Every workflow step writes a timeline entry: the agencies the report is assigned to see it.
CREATE FUNCTION geo_klik_console_event_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM geo_klik_console_notify('reports', ARRAY(
        SELECT agency_id FROM dispatch_assignment WHERE report_id = NEW.report_id AND active
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER console_event_inserted AFTER INSERT ON reports_reportevent
    FOR EACH ROW EXECUTE FUNCTION geo_klik_console_event_inserted();

-- Routing and transfers: the agency given the report, and the one it was taken from.
CREATE FUNCTION geo_klik_console_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM geo_klik_console_notify('reports', ARRAY[NEW.agency_id]);
    ELSE
        PERFORM geo_klik_console_notify('reports', ARRAY[OLD.agency_id, NEW.agency_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER console_assignment_changed AFTER INSERT OR UPDATE ON dispatch_assignment
    FOR EACH ROW EXECUTE FUNCTION geo_klik_console_assignment_changed();

CREATE FUNCTION geo_klik_console_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM geo_klik_console_notify('units', ARRAY[NEW.agency_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM geo_klik_console_notify('units', ARRAY[OLD.agency_id]);
    ELSE
        PERFORM geo_klik_console_notify('units', ARRAY[OLD.agency_id, NEW.agency_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER console_unit_changed AFTER INSERT OR UPDATE OR DELETE ON dispatch_unit
    FOR EACH ROW EXECUTE FUNCTION geo_klik_console_unit_changed();

-- A notification made, tried, sent or failed (the console shows the failed ones).
CREATE FUNCTION geo_klik_console_notification_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM geo_klik_console_notify('notifications', ARRAY[NEW.agency_id]);
    RETURN NULL;
END $$;
CREATE TRIGGER console_notification_changed AFTER INSERT OR UPDATE ON dispatch_notification
    FOR EACH ROW EXECUTE FUNCTION geo_klik_console_notification_changed();
"""

REVERSE = """
DROP TRIGGER IF EXISTS console_notification_changed ON dispatch_notification;
DROP TRIGGER IF EXISTS console_unit_changed ON dispatch_unit;
DROP TRIGGER IF EXISTS console_assignment_changed ON dispatch_assignment;
DROP TRIGGER IF EXISTS console_event_inserted ON reports_reportevent;
DROP TRIGGER IF EXISTS console_report_inserted ON reports_report;
DROP FUNCTION IF EXISTS geo_klik_console_notification_changed();
DROP FUNCTION IF EXISTS geo_klik_console_unit_changed();
DROP FUNCTION IF EXISTS geo_klik_console_assignment_changed();
DROP FUNCTION IF EXISTS geo_klik_console_event_inserted();
DROP FUNCTION IF EXISTS geo_klik_console_report_inserted();
DROP FUNCTION IF EXISTS geo_klik_console_notify(text, bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0004_units_handling_notifications"),
        ("reports", "0005_hashes_db_default"),
    ]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
