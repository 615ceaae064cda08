"""Compare two run.py JSON reports page by page (e.g. 10 vs 1,000 practices).

    .venv/bin/python infra/bench/compare.py bench-10.json bench-1000.json

Prints requests/s of both runs and the change; exits 1 when any page of our site
changed by more than --tolerance (default 10 %, the issue's "flat cost" target).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def rows(path: Path) -> dict[tuple[str, str, str], dict]:
    report = json.loads(path.read_text())
    return {(r["site"], r["page"], r["mode"]): r for r in report["results"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--tolerance", type=float, default=10.0, help="Percent.")
    args = parser.parse_args(argv)
    before, after = rows(args.before), rows(args.after)
    print(f"{'page':<14} {'mode':<9} {'before':>9} {'after':>9} {'change':>8}")
    worst = 0.0
    for key in sorted(before.keys() & after.keys()):
        site, page, mode = key
        if site != "agency":
            continue
        a, b = before[key]["rps"], after[key]["rps"]
        change = (b - a) / a * 100 if a else 0.0
        worst = max(worst, abs(change))
        print(f"{page:<14} {mode:<9} {a:>9.1f} {b:>9.1f} {change:>+7.1f}%")
    verdict = "within" if worst <= args.tolerance else "OUTSIDE"
    print(f"largest change {worst:.1f}% ({verdict} {args.tolerance:.0f}%)")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
