"""Read-aloud: the synthesis worker process, its client, and playback in the UI."""
