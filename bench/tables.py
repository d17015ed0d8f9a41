#!/usr/bin/env python3
"""Markdown tables from JMH -rf json results (bench/run.sh writes bench/target/results/<jdk>/jmh.json).

One column group per result file (e.g. one per JDK). Ratio = score / score of the plain (untraced)
benchmark of the same inlining mode and the same @Param values, in the same run; baseline rows have
no ratio. Usage: bench/tables.py bench/target/results/17.0.15/jmh.json bench/target/results/25.0.3/jmh.json
"""
import json
import os
import sys

PAIR = {"traced": "plain", "plain": "plain", "tracedNoInline": "plainNoInline", "plainNoInline": "plainNoInline"}
ORDER = ["baseline", "plain", "traced", "plainNoInline", "tracedNoInline"]


def load(path):
    out = {}
    for r in json.load(open(path)):
        cls, name = r["benchmark"].split(".")[-2:]
        params = ",".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
        out[(cls, params, name)] = r
    return out


runs = [(os.path.basename(os.path.dirname(p)), load(p)) for p in sys.argv[1:]]
keys = sorted({k for _, run in runs for k in run}, key=lambda k: (k[0], k[1], ORDER.index(k[2]) if k[2] in ORDER else 99))
for cls in sorted({k[0] for k in keys}):
    print(f"\n#### {cls}\n")
    head = "| benchmark | params |"
    sep = "|---|---|"
    for jdk, _ in runs:
        head += f" JDK {jdk} ns/op | ± error | ratio | B/op |"
        sep += "---|---|---|---|"
    print(head)
    print(sep)
    for (c, params, name) in keys:
        if c != cls:
            continue
        line = f"| {name} | {params or '-'} |"
        for _, run in runs:
            r = run.get((c, params, name))
            if r is None:
                line += " | | | |"
                continue
            pm = r["primaryMetric"]
            score, err = pm["score"], pm["scoreError"]
            base = run.get((c, params, PAIR.get(name, "")))
            ratio = f"{score / base['primaryMetric']['score']:.2f}" if base else "-"
            alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            a = f"{alloc['score']:.3f}" if alloc else "n/a"
            line += f" {score:.3f} | {err:.3f} | {ratio} | {a} |"
        print(line)
