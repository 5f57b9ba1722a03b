"""A bounded memo for streaming a log: a table of what was worked out once (a replay, a plan,
a deadline) that is emptied when it grows past its size, so memory stays flat over a log of
any length. Callers look up with `memo.get(key)` themselves (the hot path, no call here) and
come here only to file what they made."""

from __future__ import annotations


def remember(memo: dict, key, value, kept: int):
    """Files `value` under `key` (emptying `memo` first once it holds `kept` entries); returns it."""
    if len(memo) >= kept:
        memo.clear()
    memo[key] = value
    return value
