"""Does the fragment layer pay for itself? (issue 17, item 2)

The per-practice fragments (`agency_platform.core.page_cache.fragments`: routing, a
post's surroundings, a listing page, a feed) share the page cache's generation and
lifetime. This script replays the benchmark's page mix (run.py's page types and URLs)
in-process, page cache ON, production settings, and counts for every fragment read
whether it was a hit and whether the page-cache entry of the same request had missed
(or the response could not be stored, e.g. a form page with a CSRF token). A fragment
only saves work on a request the page cache did not answer: that share is its value.

Between views, an editor publishes a post in a random practice every `--views-per-edit`
views (0: no edits), as on a busy editing day: that bumps the practice's generation,
so page entries and fragments of that practice go stale together.

    .venv/bin/python infra/bench/fragments.py --practices 20 --json fragments.json
    .venv/bin/python infra/bench/fragments.py --practices 20 --skip-build --views-per-edit 0
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admin import PROJECT_PYTHON, ROOT, child_env, prepare

CHILD_FLAG = "--in-process"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--practices", type=int, default=20)
    p.add_argument("--posts", type=int, default=50)
    p.add_argument("--members", type=int, default=10)
    p.add_argument("--urls", type=int, default=200, help="Distinct URLs per page type.")
    p.add_argument("--views", type=int, default=4000, help="Views replayed in all.")
    p.add_argument("--views-per-edit", type=int, default=50)
    p.add_argument("--db-name", help="Default: agency_bench_<practices>.")
    p.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench-fragments"))  # noqa: S108
    p.add_argument("--skip-build", action="store_true")
    p.add_argument("--json", type=Path)
    p.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.db_name = args.db_name or f"agency_bench_{args.practices}"
    return args


def replay(args: argparse.Namespace) -> int:
    """The in-process half: runs under the production settings."""
    import django

    django.setup()
    import run
    from django.core.cache import cache
    from django.test import Client

    from agency_platform.core.page_cache import fragments
    from blog.models import BlogPostPage

    seen: list[tuple[str, bool]] = []  # (fragment family, hit) of the current request
    original = fragments.for_practice

    def counting(request, name, compute, *a, **kw):
        computed = []

        def compute_and_note():
            computed.append(True)
            return compute()

        value = original(request, name, compute_and_note, *a, **kw)
        seen.append((name.split(":")[0], not computed))
        return value

    fragments.for_practice = counting
    mix = [(page, target) for page in run.PAGES for target in run.targets(args, page)]
    rng = random.Random(f"fragments-{args.practices}")  # noqa: S311 (repeatable)
    posts = list(BlogPostPage.objects.live().values_list("pk", flat=True))
    cache.clear()
    client = Client()
    pages, reads = Counter(), Counter()
    for view in range(args.views):
        if args.views_per_edit and view and view % args.views_per_edit == 0:
            post = BlogPostPage.objects.get(pk=rng.choice(posts))
            post.save_revision().publish()  # an editor's publish: the practice goes stale
        page, target = rng.choice(mix)
        seen.clear()
        response = client.get(target.path, HTTP_HOST=target.host)
        if response.status_code != 200:
            print(f"{target.host}{target.path}: HTTP {response.status_code}", file=sys.stderr)
            return 1
        answered_by = response.get("X-Cache") or "not stored"
        pages[(page, answered_by)] += 1
        for family, hit in seen:
            reads[(family, answered_by, hit)] += 1
    return report(args, pages, reads)


def report(args: argparse.Namespace, pages: Counter, reads: Counter) -> int:
    total = sum(pages.values())
    print(f"{total} views, page cache on, an edit every {args.views_per_edit or 'no'} views")
    print(f"{'page type':<14} {'HIT':>6} {'MISS':>6} {'not stored':>11}")
    for page in dict.fromkeys(page for page, _ in pages):
        counts = [pages[(page, status)] for status in ("HIT", "MISS", "not stored")]
        print(f"{page:<14} {counts[0]:>6} {counts[1]:>6} {counts[2]:>11}")
    useful_header = "hits when the page cache did not answer"
    print(f"\n{'fragment':<14} {'reads':>6} {'hits':>6} {useful_header:>42}")
    rows = []
    for family in sorted({family for family, _, _ in reads}):
        all_reads = sum(n for (f, _, _), n in reads.items() if f == family)
        hits = sum(n for (f, _, hit), n in reads.items() if f == family and hit)
        useful = sum(
            n for (f, status, hit), n in reads.items() if f == family and hit and status != "HIT"
        )
        rows.append({"fragment": family, "reads": all_reads, "hits": hits, "useful_hits": useful})
        print(f"{family:<14} {all_reads:>6} {hits:>6} {useful:>42}")
    useful = sum(row["useful_hits"] for row in rows)
    print(f"FRAGMENTS useful_hits={useful} views={total} share={useful / total:.1%}")
    if args.json:
        payload = {"views": total, "views_per_edit": args.views_per_edit, "fragments": rows}
        payload["pages"] = [
            {"page": page, "answered_by": status, "views": n} for (page, status), n in pages.items()
        ]
        args.json.write_text(json.dumps(payload, indent=2))
    return 0


def main() -> int:
    args = parse_args()
    if getattr(args, CHILD_FLAG.lstrip("-").replace("-", "_")):
        sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "bench")]
        return replay(args)
    env = child_env(args)
    args.workdir.mkdir(parents=True, exist_ok=True)
    prepare(args, env)
    child = [str(PROJECT_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:], CHILD_FLAG]
    import subprocess

    return subprocess.run(child, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
