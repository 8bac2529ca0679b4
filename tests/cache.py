"""The test cache on a shared Redis: `clear()` removes only this test process's keys.

Django's `RedisCache.clear()` is FLUSHDB, which would also wipe the Celery broker's queues and
other test processes' keys when they share a Redis database (CI runs xdist workers, and helpers
may run beside each other on one machine). Each process gets its own key prefix instead.
"""

from amp_platform.cache import FailOpenRedisCache


class PrefixClearingRedisCache(FailOpenRedisCache):
    def clear(self):
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=pattern, count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return True
