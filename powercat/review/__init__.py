"""清理审核: the reviewing offices' decisions read back from their returned copies.

One job per module:

- `returned`: reading a returned copy: its powers and the decision on each;
- `matching`: pairing each returned row with a power of the list under review;
- `reconcile`: one outcome per power from every office's decision, with conflicts,
  undecided powers and unlawful withholding as findings;
- `confirmed`: the confirmed list (确认清单) in the standard template;
- `register`: the filing register (备案登记表) of powers turned to 备案;
- `adjustments`: the 调整对照表 of what the review changed;
- `counts`: the totals in the seeds' form (清理出 N 项，确认 M 项 …);
- `run`: the whole round trip, written atomically (`powercat review`).

The decision columns themselves (审核结论 with its drop-down, 审核意见, 审核单位, 审核人, 日期)
are written into the standard template and the annotated copy as well as read back here, so
they live below all three, in `ingest.decisions`.
"""
