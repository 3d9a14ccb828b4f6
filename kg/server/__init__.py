"""``coopgraph serve``: a SPARQL 1.1 Protocol endpoint and an offline web interface
over an embedded store.

- :mod:`kg.server.protocol` -- reading protocol requests, content negotiation, running
  queries and updates, serialising results (pure functions);
- :mod:`kg.server.pool` -- the worker processes every store task runs in, ended and
  replaced when a task outlives the time-out;
- :mod:`kg.server.tasks` -- what a worker does, by task name;
- :mod:`kg.server.explore` -- the data behind the pages (entities with their evidence,
  search, lists), read through SPARQL;
- :mod:`kg.server.pages` -- the HTML pages;
- :mod:`kg.server.app` -- routes, CORS, the update token and the HTTP server.

Examples
--------
>>> from kg.server import ServeConfig
>>> ServeConfig(store="no-such-store")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.server.app.ConfigError: no-such-store: no coopgraph store here (run `coopgraph build`)
"""

from __future__ import annotations

from kg.server.app import ConfigError, ServeConfig, make_server, serve

__all__ = ["ConfigError", "ServeConfig", "make_server", "serve"]
