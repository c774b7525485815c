"""The REST API: ``newsweave serve``, a FastAPI app over the service layer (docs/api.md).

:func:`create_app` builds the app from a :class:`ServeConfig`; reads go through
pooled read-only connections, writes through one writer thread fed by a queue.
"""

from .app import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
