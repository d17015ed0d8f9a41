#!/usr/bin/env python3
"""Markdown tables from a JMH -rf json result (bench/run.sh writes bench/target/results/<jdk>/jmh.json).

Ratio = score / score of the plain (untraced) benchmark of the same inlining mode and the same @Param
values, in the same run. Usage: bench/tables.py bench/target/results/17.0.15/jmh.json
"""
import json
import sys

PAIR = {"traced": "plain", "plain": "plain", "tracedNoInline": "plainNoInline", "plainNoInline": "plainNoInline"}

rows = json.load(open(sys.argv[1]))
by_key = {}
for r in rows:
    cls, name = r["benchmark"].split(".")[-2:]
    params = ",".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
    by_key[(cls, params, name)] = r

for cls in sorted({k[0] for k in by_key}):
    print(f"\n#### {cls}\n")
    print("| benchmark | params | ns/op | ± error | ratio to plain | alloc B/op |")
    print("|---|---|---|---|---|---|")
    for (c, params, name), r in sorted(by_key.items()):
        if c != cls:
            continue
        pm = r["primaryMetric"]
        score, err = pm["score"], pm["scoreError"]
        base = by_key.get((c, params, PAIR.get(name, "")))
        ratio = f"{score / base['primaryMetric']['score']:.2f}" if base else "-"
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        a = f"{alloc['score']:.3f}" if alloc else "n/a"
        print(f"| {name} | {params or '-'} | {score:.3f} | {err:.3f} | {ratio} | {a} |")
