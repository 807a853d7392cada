"""SKPD agencies and the staff who work for them: the ground floor every other app stands on."""
