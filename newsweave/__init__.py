"""newsweave: a cross-lingual, source-linked picture of the news, offline."""

__version__ = "0.1.0"
