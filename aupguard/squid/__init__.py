"""The Squid guard: `aupguard squid-helper`, an `external_acl_type` helper that answers for each
request whether the pack refuses it.

`protocol` parses Squid's request lines and formats the replies (pure); `helper` is the loop that
reads stdin and writes stdout, and reloads the pack on SIGHUP. ``files/`` holds the deny page and
the squid.conf lines a network manager copies (`aupguard squid-helper --print-config`).
"""
