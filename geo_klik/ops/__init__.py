"""Operations: health check, beat heartbeat, the boundary-layer switch, provisioning commands."""
