"""The application as a production server loads it: `gunicorn portal.wsgi:app`.

After start-up the modules, templates and configuration stay alive for the life of the worker,
some 160,000 objects. Left to the garbage collector, each full collection walks all of them
(about 50 ms, every few heavy pages: the p95 of matching and the dashboard). Frozen, they are
left out of collections; garbage made later is collected as usual.
"""

import gc

from portal import create_app

app = create_app()
gc.collect()  # what start-up left behind goes now, not frozen for ever
gc.freeze()
