"""Waiting on something another process does (a worker, the SMTP sink, a cache expiry): poll the
condition until it holds, with a deadline, instead of sleeping a fixed time and hoping."""

import time


def wait_until(condition, *, timeout=30, what="the condition"):
    """The first truthy value of `condition()`; fails the test if none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)
    return result
