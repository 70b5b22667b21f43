"""Writes of the queue: numbering, check-in, walk-ins, calls at counters."""
