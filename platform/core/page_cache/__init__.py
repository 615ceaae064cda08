"""Full-page cache for anonymous visitors of practice sites (Redis), with CDN headers
and a purge hook. See README "Page cache".

- keys.py: which requests may use the cache, their keys, per-host generations;
- middleware.py: answers hits before host routing, stores misses;
- invalidation.py: signal receivers that bump the generations of affected practices;
- purge.py: the CDN purge client (POST to CDN_PURGE_URL), called by a Celery task.
"""
