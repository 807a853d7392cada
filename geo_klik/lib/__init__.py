"""Domain-free helpers shared by the geo_klik apps."""
