"""``python -m samverkan ...``: the same as the ``samverkan`` command (where its script is not on PATH)."""

from .entry import run

if __name__ == "__main__":  # pragma: no cover - ends the process
    run()
