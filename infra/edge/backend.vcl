# The application server behind Varnish (included by varnish.vcl): compose's `web`
# service. Tests and the benchmark use their own backend.vcl, found first on
# varnishd's vcl_path (see infra/edge/README.md).
backend default {
    .host = "web";
    .port = "8000";
    .first_byte_timeout = 60s;
}
