"""Discovery against a real HTTP server on 127.0.0.1: feeds, sitemaps, list pages, editions."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest
from conftest import FIXTURES, page

from scraper.discover.run import DiscoverOptions, article_urls, discover
from scraper.fetch.engine import FetchSettings

SECTION = (FIXTURES / "discover" / "jcnews_local.html").read_text("utf-8")
SETTINGS = FetchSettings(delay=0, retries=0, total_timeout=5.0)


@pytest.fixture
def site(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def found(sources, **options):
    results = discover(list(sources), DiscoverOptions(**options), SETTINGS)
    return results, article_urls(results)


def urls(server, *paths):
    return [server.url_for(p) for p in paths]


# --- feeds ---------------------------------------------------------------------------------

RSS2_GBK = """<?xml version="1.0" encoding="gbk"?>
<rss version="2.0"><channel><title>江城新闻 本地</title><link>{base}/</link>
<item><title>智慧公交线路开通</title><link>{base}/a/20251020/1.html?utm_source=rss</link>
<pubDate>Mon, 20 Oct 2025 08:00:00 +0800</pubDate></item>
<item><title>日期坏了的条目</title><link>{base}/a/20251019/2.html</link>
<pubDate>昨天下午</pubDate></item>
<item><title>重复的条目</title><link>{base}/a/20251020/1.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>财经</title><id>urn:x</id>
<updated>2025-10-20T00:00:00Z</updated>
<entry><title>甲</title><id>urn:1</id><link rel="alternate" href="/finance/2025/10/20/c_1.htm"/>
<updated>2025-10-20T01:00:00Z</updated></entry>
<entry><title>乙</title><id>urn:2</id><link rel="alternate" href="/finance/2025/10/01/c_2.htm"/>
<updated>2025-10-01T01:00:00Z</updated></entry>
</feed>"""

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/"><title>体育</title><link>{base}/</link></channel>
<item rdf:about="{base}/sports/1001.shtml"><title>一</title><link>{base}/sports/1001.shtml</link>
<dc:date>2025-10-18</dc:date></item>
<item rdf:about="{base}/sports/1002.shtml"><title>二</title><link>{base}/sports/1002.shtml</link>
<dc:date>2025-10-19</dc:date></item>
</rdf:RDF>"""


def test_a_gbk_rss2_feed_gives_exactly_its_entries_even_with_a_broken_date(site):
    feed = RSS2_GBK.format(base=site.url_for("")).replace("//a", "/a").encode("gbk")
    site.expect_request("/rss.xml").respond_with_data(feed, content_type="application/rss+xml")
    (result,), got = found([site.url_for("/rss.xml")])
    assert result.kind == "feed"
    assert got == urls(site, "/a/20251020/1.html", "/a/20251019/2.html")
    assert [f.date for f in result.found] == ["2025-10-20", None]


def test_an_atom_feed_is_found_from_the_pages_alternate_link_and_since_filters_it(site):
    html = '<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml">'
    site.expect_request("/finance/").respond_with_data(html + "</head></html>",
                                                        content_type="text/html")  # fmt: skip
    site.expect_request("/atom.xml").respond_with_data(ATOM, content_type="application/atom+xml")
    _, got = found([site.url_for("/finance/")], kind="feed")
    assert got == urls(site, "/finance/2025/10/20/c_1.htm", "/finance/2025/10/01/c_2.htm")
    _, recent = found([site.url_for("/finance/")], kind="feed", since=date(2025, 10, 15))
    assert recent == urls(site, "/finance/2025/10/20/c_1.htm")


def test_an_rss1_feed_served_as_xml_is_recognised(site):
    feed = RSS1.format(base=site.url_for("").rstrip("/"))
    site.expect_request("/index.rdf").respond_with_data(feed, content_type="text/xml")
    (result,), got = found([site.url_for("/index.rdf")])
    assert result.kind == "feed"
    assert got == urls(site, "/sports/1001.shtml", "/sports/1002.shtml")


# --- sitemaps ------------------------------------------------------------------------------

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def sitemap_site(httpserver):
    base = httpserver.url_for("").rstrip("/")
    robots = f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap_index.xml\n"
    httpserver.expect_request("/robots.txt").respond_with_data(robots)
    index = (f'<?xml version="1.0"?><sitemapindex {SITEMAP_NS}>'
             f"<sitemap><loc>{base}/sitemap-2025-10.xml.gz</loc><lastmod>2025-10-20</lastmod></sitemap>"
             f"<sitemap><loc>{base}/news_sitemap.xml</loc><lastmod>2025-10-21</lastmod></sitemap>"
             f"<sitemap><loc>{base}/sitemap-2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>"
             "</sitemapindex>")  # fmt: skip
    monthly = (f'<urlset {SITEMAP_NS}><url><loc>{base}/2025/10/01/a1.html</loc>'
               "<lastmod>2025-10-01</lastmod></url>"
               f"<url><loc>{base}/2025/10/20/a2.html</loc><lastmod>2025-10-20T10:00:00+08:00</lastmod>"
               "</url></urlset>")  # fmt: skip
    news = (f"<urlset {SITEMAP_NS} {NEWS_NS}><url><loc>{base}/2025/10/21/n1.html</loc>"
            "<news:news><news:publication><news:name>江城日报</news:name></news:publication>"
            "<news:publication_date>2025-10-21T08:00:00+08:00</news:publication_date>"
            "<news:title>新闻一</news:title></news:news></url></urlset>")  # fmt: skip
    old = f"<urlset {SITEMAP_NS}><url><loc>{base}/2019/12/31/old.html</loc></url></urlset>"
    httpserver.expect_request("/sitemap_index.xml").respond_with_data(
        index, content_type="application/xml"
    )
    httpserver.expect_request("/sitemap-2025-10.xml.gz").respond_with_data(
        gzip.compress(monthly.encode()), content_type="application/x-gzip"
    )
    httpserver.expect_request("/news_sitemap.xml").respond_with_data(news, content_type="text/xml")
    httpserver.expect_request("/sitemap-2019.xml").respond_with_data(old, content_type="text/xml")


def test_robots_sitemap_lines_lead_through_an_index_to_gzipped_and_news_sitemaps(httpserver):
    sitemap_site(httpserver)
    (result,), got = found([httpserver.url_for("/")], kind="sitemap")
    assert got == urls(httpserver, "/2025/10/01/a1.html", "/2025/10/20/a2.html",
                       "/2025/10/21/n1.html", "/2019/12/31/old.html")  # fmt: skip
    assert result.found[2].date.startswith("2025-10-21")  # the news date, not a lastmod


def test_since_filters_sitemap_urls_and_skips_older_child_sitemaps_unfetched(httpserver):
    sitemap_site(httpserver)
    _, got = found([httpserver.url_for("/robots.txt")], since=date(2025, 10, 15))
    assert got == urls(httpserver, "/2025/10/20/a2.html", "/2025/10/21/n1.html")
    assert not [r for r, _ in httpserver.log if r.path == "/sitemap-2019.xml"]


def test_a_sitemap_given_directly_is_recognised_by_its_content(httpserver):
    sitemap_site(httpserver)
    (result,), got = found([httpserver.url_for("/news_sitemap.xml")])
    assert result.kind == "sitemap" and got == urls(httpserver, "/2025/10/21/n1.html")


def test_without_robots_sitemap_lines_sitemap_xml_is_read_and_a_bad_child_is_a_warning(site):
    base = site.url_for("").rstrip("/")
    index = (f"<sitemapindex {SITEMAP_NS}><sitemap><loc>{base}/missing.xml</loc></sitemap>"
             f"<sitemap><loc>{base}/s1.xml</loc></sitemap></sitemapindex>")  # fmt: skip
    urlset = f"<urlset {SITEMAP_NS}><url><loc>{base}/2025/10/20/a.html</loc></url></urlset>"
    site.expect_request("/sitemap.xml").respond_with_data(index, content_type="text/xml")
    site.expect_request("/s1.xml").respond_with_data(urlset, content_type="text/xml")
    site.expect_request("/missing.xml").respond_with_data("", status=404)
    (result,), got = found([site.url_for("/")], kind="sitemap")
    assert got == urls(site, "/2025/10/20/a.html") and not result.error
    assert result.problems == [f"{base}/missing.xml: HTTP 404"]


# --- list pages and editions ---------------------------------------------------------------

SECTION_ARTICLES = 36  # 30 in the list, 6 in 热点排行; not the menu, 专题, tags, pager, footer


def test_a_section_page_gives_its_article_links_and_nothing_else(site):
    site.expect_request("/news/local/").respond_with_data(SECTION, content_type="text/html")
    (result,), got = found([site.url_for("/news/local/")])
    assert result.kind == "page" and len(got) == SECTION_ARTICLES
    assert all("/content_" in url and url.endswith(".htm") for url in got)
    assert got[0] == site.url_for("/news/2025-10/20/content_4816230.htm")


def test_pages_follows_the_list_pager(site):
    site.expect_request("/news/local/").respond_with_data(SECTION, content_type="text/html")
    second = '<ul class="list"><li><a href="/news/2025-10/10/content_4800001.htm">第二页上的一篇新闻标题</a></li></ul>'
    site.expect_request("/news/local/index_2.htm").respond_with_data(
        second, content_type="text/html"
    )
    _, got = found([site.url_for("/news/local/")], pages=2)
    assert len(got) == SECTION_ARTICLES + 1
    assert got[-1] == site.url_for("/news/2025-10/10/content_4800001.htm")


def edition_page(day: str) -> str:
    links = "".join(f'<li><a href="content_{day}{n}.htm">数字报{day}第{n}篇文章的标题内容</a></li>'
                    for n in (1, 2))  # fmt: skip
    return f'<div class="pagenav"><a href="node_2.htm">第02版：要闻</a></div><ul>{links}</ul>'


def test_an_edition_template_over_three_days_skips_the_missing_one(site):
    for day in ("01", "03"):
        site.expect_request(f"/paper/2025-10/{day}/node_1.htm").respond_with_data(
            edition_page(day), content_type="text/html")  # fmt: skip
    site.expect_request("/paper/2025-10/02/node_1.htm").respond_with_data("", status=404)
    template = site.url_for("/paper/{YYYY}-{MM}/{DD}/node_1.htm")
    (result,), got = found([template], since=date(2025, 10, 1), until=date(2025, 10, 3))
    assert result.kind == "edition" and not result.error
    assert got == urls(site, *(f"/paper/2025-10/{d}/content_{d}{n}.htm"
                               for d in ("01", "03") for n in (1, 2)))  # fmt: skip
    assert result.problems == [f"{site.url_for('/paper/2025-10/02/node_1.htm')}: HTTP 404"]


# --- failures and the CLI ------------------------------------------------------------------


def test_a_failing_source_does_not_stop_the_others(site):
    site.expect_request("/broken.xml").respond_with_data("oops", status=500)
    site.expect_request("/news/local/").respond_with_data(SECTION, content_type="text/html")
    results, got = found([site.url_for("/broken.xml"), "ftp://x", site.url_for("/news/local/")])
    assert "HTTP 500" in results[0].error and "not an http(s) URL" in results[1].error
    assert len(got) == SECTION_ARTICLES


def test_cli_discover_prints_only_urls_and_archive_discover_archives_them_once(site, run_cli, db):
    feed = RSS2_GBK.format(base=site.url_for("")).replace("//a", "/a").encode("gbk")
    site.expect_request("/rss.xml").respond_with_data(feed, content_type="application/rss+xml")
    for n, path in enumerate(["/a/20251020/1.html", "/a/20251019/2.html"]):
        site.expect_request(path).respond_with_data(page(f"第{n}篇文章"), content_type="text/html")
    feed_url = site.url_for("/rss.xml")
    listed = run_cli("discover", feed_url, "--delay", "0")
    assert listed.code == 0
    assert listed.out.splitlines() == urls(site, "/a/20251020/1.html", "/a/20251019/2.html")
    first = run_cli("archive", "--discover", feed_url, "--delay", "0", "--db", db, "-q")
    assert first.code == 0
    again = run_cli("archive", "--discover", feed_url, "--delay", "0", "--db", db, "-q")
    assert again.code == 0
    assert len([r for r, _ in site.log if r.path == "/a/20251020/1.html"]) == 1


def test_cli_discover_errors_are_one_line_and_exit_non_zero(site, run_cli):
    site.expect_request("/empty.html").respond_with_data("<p>nothing</p>", content_type="text/html")
    nothing = run_cli("discover", site.url_for("/empty.html"), "--delay", "0")
    assert nothing.code == 1 and nothing.out == "" and "no article URLs found" in nothing.err
    bad_date = run_cli("discover", site.url_for("/empty.html"), "--since", "yesterday")
    assert bad_date.code == 2 and "not a date" in bad_date.err
    no_flag = run_cli("archive", site.url_for("/empty.html"), "--kind", "feed")
    assert no_flag.code == 2 and "need --discover" in no_flag.err


def test_the_labelled_list_pages_meet_the_benchmark_targets():
    import json
    import sys

    sys.path.insert(0, str(FIXTURES.parent / "benchmarks"))
    from discover_bench import ratio, score_page

    labels = json.loads((FIXTURES / "discover" / "labels.json").read_text("utf-8"))
    rows = [score_page(name, label) for name, label in labels.items()]
    hits, found_, true = (sum(r[k] for r in rows) for k in ("hits", "found", "true"))
    assert len(rows) >= 10
    assert ratio(hits, found_) >= 0.95 and ratio(hits, true) >= 0.95


def test_archive_discover_archives_an_edition_and_reports_a_failing_source(site, run_cli, db):
    site.expect_request("/paper/2025-10/01/node_1.htm").respond_with_data(
        edition_page("01"), content_type="text/html")  # fmt: skip
    for n in (1, 2):
        site.expect_request(f"/paper/2025-10/01/content_01{n}.htm").respond_with_data(
            page(f"数字报第{n}篇"), content_type="text/html")  # fmt: skip
    site.expect_request("/gone.xml").respond_with_data("", status=404)
    template = site.url_for("/paper/{YYYY}-{MM}/{DD}/node_1.htm")
    result = run_cli("archive", "--discover", template, site.url_for("/gone.xml"), "--since",
                     "2025-10-01", "--until", "2025-10-01", "--delay", "0", "--db", db, "--json")  # fmt: skip
    assert result.code == 1
    report = json.loads(result.out)
    assert report["counts"] == {"added": 2, "failed": 1}
    assert report["failures"] == [{"input": site.url_for("/gone.xml"), "status": "failed",
                                   "error": "discovery: HTTP 404"}]  # fmt: skip


def test_edition_templates_fill_every_placeholder_and_refuse_bad_ranges():
    from scraper.discover.editions import edition_urls
    from scraper.discover.model import DiscoverError

    got = edition_urls("http://p.cn/{YYYY}{MM}{DD}/{YY}-{M}-{D}.htm", date(2025, 3, 9),
                       date(2025, 3, 10))  # fmt: skip
    assert got == ["http://p.cn/20250309/25-3-9.htm", "http://p.cn/20250310/25-3-10.htm"]
    for first, last, message in [(date(2025, 3, 2), date(2025, 3, 1), "before it starts"),
                                 (date(2020, 1, 1), date(2025, 1, 1), "at most 366")]:  # fmt: skip
        with pytest.raises(DiscoverError, match=message):
            edition_urls("http://p.cn/{YYYY}/{MM}{DD}.htm", first, last)
    with pytest.raises(DiscoverError, match="not an edition template"):
        edition_urls("http://p.cn/today.htm", date(2025, 3, 9), date(2025, 3, 9))


def test_a_source_that_breaks_a_parser_fails_alone(site, monkeypatch):
    import scraper.discover.feeds

    def broken(*args, **kwargs):
        raise ValueError("parser bug")

    site.expect_request("/rss.xml").respond_with_data(RSS1.format(base="http://x.cn"),
                                                      content_type="text/xml")  # fmt: skip
    site.expect_request("/news/local/").respond_with_data(SECTION, content_type="text/html")
    monkeypatch.setattr(scraper.discover.feeds, "parse_feed", broken)
    results, got = found([site.url_for("/rss.xml"), site.url_for("/news/local/")])
    assert results[0].error == "unexpected ValueError: parser bug"
    assert len(got) == SECTION_ARTICLES
