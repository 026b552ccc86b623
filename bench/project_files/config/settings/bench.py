"""Benchmark settings: production, plus the bench's own routes (config/bench_urls.py).

Copied into the rendered project by bench/run.py; never part of the template.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
