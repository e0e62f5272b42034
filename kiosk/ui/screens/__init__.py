"""The screens; each gets what it needs through ``__init__`` and emits intent signals."""
