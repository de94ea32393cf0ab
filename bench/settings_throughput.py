"""Production settings for bench.throughput, with two changes.

Static files are collected into a temporary folder (BENCH_STATIC_ROOT) instead of
./staticfiles, and the URLs are the bench's: the site's plus a trivial view. Everything
else (DEBUG off, whitenoise with the compressed manifest storage, the database from
DATABASE_URL) is what a deployment runs.
"""

import os
from pathlib import Path

from cop_portal.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
ROOT_URLCONF = "bench.urls"
