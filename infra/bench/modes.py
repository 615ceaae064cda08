"""The server modes run.py and flat.py measure, named for what they measure (issue 19).

- `cold`: no application cache at all. `CACHE_DISABLED=true` (production settings) makes
  every cache alias Django's DummyCache, so each view routes, queries and renders from
  the database: the first view after a publish in a practice, which after a busy
  editing day is most views. Renditions exist in the database (the warm-up pass made
  them), so no image is generated while the load runs.
- `warm`: the page cache off, the application caches (host map, site bundle, routed
  page, listings, rendered Markdown, form rows, renditions) warm in Redis.
- `page-cache`: whole pages answered from Redis by the page-cache middleware.
- `edge`: the page-cache server behind Varnish (infra/edge); the load goes to Varnish.

Each mode is a server restart with its own environment (`--mode-env MODE:KEY=VALUE`
adds or overrides a variable), never a cache-busting parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness import BenchError, Row


@dataclass(frozen=True)
class Mode:
    env: dict[str, str]
    edge: bool = False  # Varnish in front of the server takes the load


MODES = {
    "cold": Mode({"CACHE_DISABLED": "true", "PAGE_CACHE_ENABLED": "false"}),
    "warm": Mode({"PAGE_CACHE_ENABLED": "false"}),
    "page-cache": Mode({"PAGE_CACHE_ENABLED": "true"}),
    "edge": Mode({"PAGE_CACHE_ENABLED": "true"}, edge=True),
}
DEFAULT = "cold,warm,page-cache,edge"


def parse(names: str) -> list[str]:
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in MODES]
    if unknown:
        raise BenchError(f"--modes: unknown mode(s) {', '.join(unknown)} ({', '.join(MODES)}).")
    return chosen


def environments(names: list[str], overrides: list[str] | None) -> dict[str, dict[str, str]]:
    """Each mode's server environment, with `MODE:KEY=VALUE` overrides applied."""
    result = {name: dict(MODES[name].env) for name in names}
    for override in overrides or []:
        mode, colon, pair = override.partition(":")
        key, equals, value = pair.partition("=")
        if not colon or not equals or not key:
            raise BenchError(f"--mode-env: '{override}' is not MODE:KEY=VALUE.")
        if mode not in MODES:
            raise BenchError(f"--mode-env: unknown mode '{mode}' ({', '.join(MODES)}).")
        result.setdefault(mode, dict(MODES[mode].env))[key] = value
    return result


def check(rows: list[Row]) -> None:
    """Flag rows whose probe contradicts their mode: a cold page that ran no query (an
    application cache answered), a page-cache page that ran the warm page's queries."""
    warm = {r.page: r.result for r in rows if r.site == "agency" and r.mode == "warm"}
    for row in rows:
        if row.site != "agency":
            continue
        after = row.result.get("queries_min")
        if row.mode == "cold" and after == 0:
            row.result["notes"].append("COLD PAGE RAN NO QUERY (a cache answered)")
        if row.mode == "page-cache" and row.page in warm:
            before = warm[row.page].get("queries_min")
            hit = after is not None and (after == 0 or (before is not None and after < before))
            row.result["cache_hit"] = hit
            if not hit:
                row.result["notes"].append("PAGE CACHE ABSENT OR MISSED (queries unchanged)")


def queries_per_view(rows: list[Row]) -> dict[str, dict[str, int | None]]:
    """{site/page: {mode: the most queries one probed view ran}} (edge: never reached)."""
    table: dict[str, dict[str, int | None]] = {}
    for row in rows:
        if row.site == "nginx":
            continue
        table.setdefault(f"{row.site}/{row.page}", {})[row.mode] = row.result.get("queries_max")
    return table


def print_queries(rows: list[Row]) -> None:
    table = queries_per_view(rows)
    modes = [m for m in MODES if any(m in by_mode for by_mode in table.values())]
    print(f"{'queries per view':<26}" + "".join(f"{m:>11}" for m in modes))
    for name, by_mode in table.items():
        cells = ["-" if by_mode.get(m) is None else str(by_mode[m]) for m in modes]
        print(f"{name:<26}" + "".join(f"{c:>11}" for c in cells))


def summarise(rows: list[Row], reference_mode: str) -> dict:
    def rps(site: str, page: str, mode: str) -> float | None:
        for row in rows:
            if (row.site, row.page, row.mode) == (site, page, mode):
                return row.result["rps"]
        return None

    summary: dict = {}
    for page in ("blog_post", "home", "blog_index"):  # the page types bakerydemo has
        base = rps("bakerydemo", page, reference_mode)
        for mode in ("cold", "warm"):
            value = rps("agency", page, mode)
            if value and base:
                summary[f"{page}_{mode}_vs_bakerydemo"] = round(value / base, 2)
    nginx = rps("nginx", "static_file", "static")
    if nginx:
        for mode in ("page-cache", "edge"):
            served = [r for r in rows if r.site == "agency" and r.mode == mode and r.result["rps"]]
            if served:
                key = f"nginx_over_{mode.replace('-', '_')}"
                summary[key] = {r.page: round(nginx / r.result["rps"], 2) for r in served}
    # The largest worker's resident memory after each site and mode's last load.
    summary["worker_rss_mb"] = {
        f"{r.site}/{r.mode}": r.result["rss_mb"] for r in rows if r.result.get("rss_mb")
    }
    summary["queries_per_view"] = queries_per_view(rows)
    return summary
