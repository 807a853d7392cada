"""Operations: health check, the local service stack behind `make run` / `make test`."""
