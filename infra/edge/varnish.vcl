vcl 4.1;

# The edge cache in front of the platform (Varnish 7.1): see infra/edge/README.md.
#
# The application decides what is shared: a response is kept only when it says so with
# an explicit s-maxage/max-age (the page cache sends "public, max-age=0, s-maxage=3600,
# stale-while-revalidate=30") and sets no cookie. Invalidation is by surrogate key:
# the Celery purge task POSTs the practice's keys to /.edge/purge.

import std;

# The backend (the application's gunicorn), looked up on varnishd's vcl_path:
# infra/edge/backend.vcl points at compose's `web:8000`; the tests and the benchmark
# put a directory with their own backend.vcl first on the path.
include "backend.vcl";

# Who may purge: loopback and the private ranges (the Celery workers on the compose
# network). Also needs "Authorization: Bearer $EDGE_PURGE_TOKEN": behind a load
# balancer every client comes from a private address, so the ACL alone is not enough.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
    "fc00::"/7;
}

sub vcl_recv {
    # Set below for the X-Edge-Cache debug header; never the client's own.
    unset req.http.X-Edge-Status;
    if (req.url ~ "^/\.edge(/|$)") {
        call edge_purge;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # POSTs (the request form) keep their cookies (CSRF); builtin passes them.
        return (pass);
    }
    # Never shared, like the app's page cache (page_cache/keys.py BYPASS_PREFIXES):
    # the admin and previews, the APIs and documents (may be private).
    if (req.url ~ "^/(admin|django-admin|api|documents)([/?]|$)") {
        return (pass);
    }
    # A session cookie means a possibly logged-in user (an editor, a visitor who
    # unlocked a protected page); a messages cookie holds a pending flash message.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    # Any other cookie (csrftoken, analytics) does not change an anonymous page: drop
    # it so that every visitor shares the page. Without it a page that needs a CSRF
    # token sets a fresh cookie, and a response with Set-Cookie is never kept.
    unset req.http.Cookie;
    # Tracking parameters (PAGE_CACHE_IGNORED_PARAMS) do not change a page either.
    if (req.url ~ "[?&](utm_(source|medium|campaign|term|content)|gclid|fbclid|msclkid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url,
            "(?<=[?&])(utm_(source|medium|campaign|term|content)|gclid|fbclid|msclkid|mc_cid|mc_eid)=[^&#]*(&|$)",
            "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # Builtin vcl_recv follows: lower-cased Host, hash.
}

# POST /.edge/purge with "Surrogate-Key: k1 k2" (Fastly's batch purge contract): bans
# every object whose Surrogate-Key header holds one of the keys. The ban tests obj.*
# only, so the ban lurker removes objects in the background; lookups skip banned
# objects at once.
sub edge_purge {
    if (req.url != "/.edge/purge") {
        return (synth(404));
    }
    if (req.method != "POST") {
        return (synth(405));
    }
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    # An unset token disables purging rather than opening it to every private address.
    if (std.getenv("EDGE_PURGE_TOKEN") == ""
        || req.http.Authorization != "Bearer " + std.getenv("EDGE_PURGE_TOKEN")) {
        return (synth(403, "Forbidden"));
    }
    # Keys are words of letters, digits and "_:.-" (the app sends practice-<id>, or
    # host-<hostname> for a site without a practice): only "." needs escaping.
    if (req.http.Surrogate-Key !~ "^\s*[A-Za-z0-9_:.-]+(\s+[A-Za-z0-9_:.-]+)*\s*$") {
        return (synth(400, "Surrogate-Key header missing or malformed"));
    }
    set req.http.X-Edge-Keys = regsuball(regsuball(req.http.Surrogate-Key, "^\s+|\s+$", ""), "\.", "[.]");
    set req.http.X-Edge-Keys = regsuball(req.http.X-Edge-Keys, "\s+", "|");
    if (std.ban("obj.http.Surrogate-Key ~ (^|\s)(" + req.http.X-Edge-Keys + ")(\s|$)")) {
        return (synth(200, "Banned"));
    }
    return (synth(500, "Ban failed: " + std.ban_error()));
}

sub vcl_hash {
    # http and https pages differ (absolute URLs in canonical links and feeds); with
    # TLS ended in front of Varnish the scheme comes in X-Forwarded-Proto.
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    # Builtin vcl_hash follows: URL and Host.
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        set req.http.X-Edge-Status = "HIT";
    } else {
        # Within stale-while-revalidate: served stale while a background fetch runs.
        set req.http.X-Edge-Status = "STALE";
    }
}

sub vcl_miss {
    set req.http.X-Edge-Status = "MISS";
}

sub vcl_pass {
    set req.http.X-Edge-Status = "PASS";
}

sub vcl_pipe {
    set req.http.X-Edge-Status = "PIPE";
}

sub vcl_backend_fetch {
    unset bereq.http.X-Edge-Status;
}

sub vcl_backend_response {
    # Kept only when the application says so explicitly: a 404, a redirect or a page
    # it chose not to cache carries no s-maxage/max-age, and Varnish's default TTL
    # (120 s) would otherwise keep it. Uncacheable for 2 minutes means "fetch it every
    # time, without queueing on other requests", not "keep it".
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)\s*=") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Builtin follows: TTL from s-maxage (then max-age), grace from
    # stale-while-revalidate; never kept with Set-Cookie, private, no-cache, no-store.
}

sub vcl_deliver {
    # Not X-Cache: that is the application's own page cache header (kept as stored).
    set resp.http.X-Edge-Cache = req.http.X-Edge-Status;
    # The browser-facing Cache-Control is the application's (max-age=0: browsers
    # revalidate with the ETag, since they cannot be purged); left as it is.
}

sub vcl_synth {
    if (req.url == "/.edge/purge") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
