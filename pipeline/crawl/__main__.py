"""``python -m pipeline.crawl [OPTIONS]`` is ``netra crawl [OPTIONS]``."""

import sys

from pipeline.cli import app

app(["crawl", *sys.argv[1:]], prog_name="netra crawl")
