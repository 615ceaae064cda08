# The application server behind Varnish (included by varnish.vcl): compose's `web`
# service. Tests and the benchmark use their own backend.vcl, found first on
# varnishd's vcl_path (see infra/edge/README.md).
backend default {
    .host = "web";
    .port = "8000";
    .first_byte_timeout = 60s;
    # PROXY protocol v2: every backend connection starts with client.ip, the visitor's
    # address (or the one a load balancer passed to a `-a ...,PROXY` listener), which
    # gunicorn makes REMOTE_ADDR (GUNICORN_PROXY_PROTOCOL=true, GUNICORN_PROXY_ALLOW_IPS
    # set to this edge's address; see infra/gunicorn.conf.py). The per-IP limits of the
    # request form need it. Varnish then uses each backend connection for one request.
    .proxy_header = 2;
}
