"""`scraper serve`: the web app over the archive."""

from __future__ import annotations

import click

from scraper.cli.common import db_option, err, read_archive
from scraper.store.archive import default_db_path


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network, not only this machine).")  # fmt: skip
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-archive", is_flag=True, help="Allow archiving URLs from the web page.")
@db_option
def serve_cmd(host: str, port: int, allow_archive: bool, db_path: str | None) -> None:
    """Search and read the archive in a browser: a local web app (Ctrl-C stops it).

    \b
    Examples:
      scraper serve
      scraper serve --port 9000 --allow-archive
    """
    from scraper.web.app import serve

    path = db_path or default_db_path()
    read_archive(path).close()  # a missing archive fails here; a read-only one says so
    serve(path, host, port, allow_archive,
          announce=lambda url: err.print(f"serving {path} at {url} (Ctrl-C to stop)"))  # fmt: skip
