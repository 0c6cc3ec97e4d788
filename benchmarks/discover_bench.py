"""Benchmark list-page discovery: precision and recall of article links on labelled pages.

Each page in fixtures/discover/ is an invented list page (a section of a portal, a government
notice list, an e-paper edition, a rolling-news page, a PHP trade portal, a TV station, a
university news list, …) with its own menus, breadcrumbs, 热点排行, 专题 boxes, tag clouds,
pagers and footers. labels.json holds, for each, the URL it is read as and its true article
links (relative ones resolve against that URL). The discovery code never sees the labels.

    python benchmarks/discover_bench.py          # a table per page and overall
    python benchmarks/discover_bench.py --json   # the same as JSON
    python benchmarks/discover_bench.py --show   # also every wrong or missed link

Targets: precision >= 0.95 and recall >= 0.95 overall (micro-averaged over all links).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urljoin

from scraper.discover.listpage import article_links
from scraper.fetch.urls import canonical_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discover"
TARGET = 0.95


def score_page(name: str, label: dict) -> dict:
    """True/false positives and misses of discovery on one labelled page."""
    html = (FIXTURES / name).read_text("utf-8")
    truth = {canonical_url(urljoin(label["url"], href)) for href in label["articles"]}
    found = {f.url for f in article_links(html, label["url"])}
    return {
        "page": name,
        "true": len(truth),
        "found": len(found),
        "hits": len(found & truth),
        "wrong": sorted(found - truth),
        "missed": sorted(truth - found),
    }


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--show", action="store_true", help="list the wrong and missed links")
    args = parser.parse_args()
    labels = json.loads((FIXTURES / "labels.json").read_text("utf-8"))
    rows = [score_page(name, label) for name, label in labels.items()]
    hits, found, true = (sum(r[k] for r in rows) for k in ("hits", "found", "true"))
    overall = {"precision": ratio(hits, found), "recall": ratio(hits, true), "pages": len(rows)}
    if args.json:
        print(json.dumps({"pages": rows, "overall": overall}, ensure_ascii=False, indent=1))
    else:
        print(f"{'page':<24} {'true':>5} {'found':>6} {'precision':>10} {'recall':>7}")
        for r in rows:
            p, rc = ratio(r["hits"], r["found"]), ratio(r["hits"], r["true"])
            print(f"{r['page']:<24} {r['true']:>5} {r['found']:>6} {p:>10.3f} {rc:>7.3f}")
            if args.show:
                for url in r["wrong"]:
                    print(f"    wrong   {url}")
                for url in r["missed"]:
                    print(f"    missed  {url}")
        print(f"{'overall':<24} {true:>5} {found:>6} {overall['precision']:>10.3f} "
              f"{overall['recall']:>7.3f}")  # fmt: skip
    met = overall["precision"] >= TARGET and overall["recall"] >= TARGET
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
