"""Hostile inputs: generators (make_*.py) and, per command, the cases tried as careless users and attackers would."""
