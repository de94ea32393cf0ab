"""Throwaway databases that outlive the processes using them, for benchmarks that seed
in one process and measure in others.

The harness's run_with_database gives the process that calls it one database, gone when
that process's benchmark returns. Here the calling process only holds the databases:
children seed them (migrating first) and measure them, each opening the one its
DATABASE_URL names. SQLite: files in one temporary directory. PostgreSQL (DATABASE_URL
set): databases of the given names on the server DATABASE_URL names, reached as its user,
created empty (dropped first if a previous run left them) and dropped at the end, on an
error or Ctrl-C too, so real data is never touched and nothing is left behind.
"""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit


@contextlib.contextmanager
def throwaway_databases(names: list[str], directory: Path) -> Iterator[dict[str, str]]:
    """A DATABASE_URL per name, for databases that last until the block ends. SQLite
    files go in `directory` (which the caller removes)."""
    given = os.environ.get("DATABASE_URL")
    if not given:
        yield {name: f"sqlite:///{directory / f'{name}.sqlite3'}" for name in names}
        return
    url = urlsplit(given)
    urls = {name: url._replace(path=f"/{name}").geturl() for name in names}
    # Like Django's test databases: CREATE and DROP from the server's maintenance
    # database, the one the names are not.
    maintenance = url._replace(path="/postgres").geturl()
    _postgres(maintenance, "DROP DATABASE IF EXISTS {} WITH (FORCE)", names)
    try:
        _postgres(maintenance, "CREATE DATABASE {}", names)
        yield urls
    finally:
        # FORCE: a measuring child stopped by Ctrl-C may not have closed its connection yet.
        _postgres(maintenance, "DROP DATABASE IF EXISTS {} WITH (FORCE)", names)


def _postgres(url: str, statement: str, names: list[str]) -> None:
    """`statement` once per name (an identifier in place of {}), outside a transaction
    as CREATE and DROP DATABASE need."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        for name in names:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))
