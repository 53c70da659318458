"""Helpers shared by the review engineer's app tests."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs (a newer search may cancel an older one on the way)."""
    app = pilot.app
    for _ in range(250):
        await pilot.pause(0.02)
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        if not any(worker.is_running for worker in app.workers):
            break
    await pilot.pause()
