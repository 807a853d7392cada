"""Open311 GeoReport v2: the standard interface other civic tools use to file and read reports."""
