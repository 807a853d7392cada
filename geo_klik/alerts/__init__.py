"""Area alerts: anyone may hear of new reports and resolutions in a kelurahan or near a point."""
