"""Production settings for bench.throughput, with the bench's URLs: the site's plus a
trivial view. Everything else (DEBUG off, whitenoise with the compressed manifest
storage, STATIC_ROOT and the database from the environment) is what a deployment runs.
"""

from cop_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
