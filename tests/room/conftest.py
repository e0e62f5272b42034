"""Room tests use the ``pg`` and ``room_dsn`` fixtures of the top-level conftest."""
