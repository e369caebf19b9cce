"""The web guard's data: hosts and URLs in normal form, and the compiled URL category database.

- `aupguard.engine.web.hosts`: `normalise_host`, `split_url`;
- `aupguard.engine.web.categories`: `CategoryDB` (load the compiled database, look up categories);
- `aupguard.engine.web.compile`: build the database from the UT1 and Sinfonietta lists, at build time
  (``python -m aupguard.engine.web.compile``);
- `aupguard.engine.web.lists`: the domain lists packs name (allowed sites, illegal content);
- `aupguard.engine.web.guard`: `WebGuard`, the web checks for (URL, user, time) as the Squid helper and
  the log scan meet requests, each part worked out once and remembered.
"""

from aupguard.engine.web.categories import CategoryDB, CategoryDBError, default_database_path
from aupguard.engine.web.hosts import normalise_host, split_url

__all__ = ["CategoryDB", "CategoryDBError", "default_database_path", "normalise_host", "split_url"]
