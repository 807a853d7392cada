"""A unit that only moved tells the consoles "positions", not "units" (control/live.py).

Phones on duty send a position every 15 s: at 200 units that is 13 changes a second, and a
"units" change makes every console re-read its queue, units and notifications. A move changes
none of those but where the unit is, so it is its own kind, and carries the new position: the
console's unit layer moves the marker from the message, without re-reading anything. A change of status, agency, call sign or kind is still "units".
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION geo_klik_console_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM geo_klik_console_notify('units', ARRAY[NEW.agency_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM geo_klik_console_notify('units', ARRAY[OLD.agency_id]);
    ELSIF NEW.status = OLD.status AND NEW.agency_id = OLD.agency_id
            AND NEW.call_sign = OLD.call_sign AND NEW.kind = OLD.kind THEN
        -- The move itself rides along ("p": unit, lat, lon, epoch s): no console re-reads.
        PERFORM pg_notify('geo_klik_console', json_build_object(
            'k', 'positions',
            'a', ARRAY[NEW.agency_id],
            'p', CASE WHEN NEW.location IS NULL OR NEW.location_at IS NULL THEN NULL
                 ELSE json_build_array(
                     NEW.id,
                     round(ST_Y(NEW.location)::numeric, 6),
                     round(ST_X(NEW.location)::numeric, 6),
                     round(extract(epoch FROM NEW.location_at)::numeric, 3)
                 ) END
        )::text);
    ELSE
        PERFORM geo_klik_console_notify('units', ARRAY[OLD.agency_id, NEW.agency_id]);
    END IF;
    RETURN NULL;
END $$;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION geo_klik_console_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0007_unit_shifts_positions")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
