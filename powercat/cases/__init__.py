"""The 动态公开 register: how each important power was exercised.

read (case rows and event logs) → link (to the catalogue's powers) → check (process graph
and legal deadlines, in working days) → stats (per power and period) → mask → publish.
"""
