#!/usr/bin/python3
"""Side-by-side table of two held-out evaluations (metrics.json written by the Java tool
dev.bindspace.mini.tools.Evaluate), e.g. a float32 bundle and its int8 copy:

    /usr/bin/python3 tools/mini-train/compare_eval.py ../perf/eval-mini-fp32/metrics.json \
        ../perf/eval-mini-int8-cal/metrics.json --names fp32,int8-cal [--out compare.md] [--json]

Prints the "all"-group rows as a Markdown table (task, group, queries, k, A, B, B - A in points), then the number
of rows compared and the largest |difference| over every row (groups included), and the rows beyond 1 point.
Rows are matched by (task, group, k); a row present on one side only is an error.
"""
import argparse
import json
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        return {(m["task"], m["group"], m["k"]): m for m in json.load(f)["metrics"]}


def compare(a, b):
    if set(a) != set(b):
        raise ValueError(f"the evaluations differ in rows: only in A {sorted(set(a) - set(b))[:3]}, "
                         f"only in B {sorted(set(b) - set(a))[:3]}")
    out = []
    for key, m in a.items():
        va, vb = 100 * m["value"], 100 * b[key]["value"]
        out.append({"task": key[0], "group": key[1], "k": key[2], "queries": m["queries"], "a": va, "b": vb,
                    "diff": vb - va})
    return out


def markdown(table, names):
    lines = [f"| task | group | n | k | {names[0]} | {names[1]} | diff (points) |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in table:
        if r["group"] == "all":
            lines.append(f"| {r['task']} | all | {r['queries']} | {r['k']} | {r['a']:.1f} | {r['b']:.1f} | "
                         f"{r['diff']:+.1f} |")
    worst = max(table, key=lambda r: abs(r["diff"]))
    lines.append(f"rows {len(table)} largest |diff| over all rows (incl. groups): {abs(worst['diff']):.2f} points "
                 f"({worst['task']}, {worst['group']}, top/R@{worst['k']})")
    beyond = [r for r in table if r["group"] == "all" and abs(r["diff"]) > 1.0]
    lines.append("all-group rows beyond 1 point: " + (", ".join(
        f"{r['task']} @{r['k']} {r['diff']:+.1f}" for r in beyond) or "none"))
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--names", default="A,B")
    ap.add_argument("--out", default=None)
    ap.add_argument("--json", action="store_true", help="print the rows as JSON instead of Markdown")
    args = ap.parse_args(argv)
    table = compare(rows(args.a), rows(args.b))
    text = json.dumps(table, indent=1) + "\n" if args.json else markdown(table, args.names.split(",", 1))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
