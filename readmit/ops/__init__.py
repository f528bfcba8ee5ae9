"""Operations: health probes, request ids and structured logs, metrics, backup and restore,
production serving (docs/operations.md, docs/adr/0013-gunicorn-and-prometheus.md)."""
