"""Storage: the schema, its migrations and the repositories. The only place with SQL."""

from storage.db import Database, open_database

__all__ = ["Database", "open_database"]
