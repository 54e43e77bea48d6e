"""A Redis cache that costs speed, not pages, when Redis cannot be reached.

Django's ``RedisCache`` raises when the server is down, and a ``{% cache %}`` tag or a ``cache.get`` in a view
then fails the whole page. What this project caches (``reports.freshness``) is only ever work saved: every
value can be computed again. So a read that fails is a miss and a write that fails is dropped, each logged
as a warning; the page is drawn from the database as if there were no cache.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class TolerantRedisCache(RedisCache):
    """``RedisCache`` whose reads miss and whose writes are dropped while Redis cannot be reached."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            logger.warning("The cache could not be read (%s); computing afresh.", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            logger.warning("The cache could not be written (%s).", error)
