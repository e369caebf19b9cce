"""The SMTP relay: outbound mail passes through it on its way to the school's real mail server.

`server` accepts mail (aiosmtpd), asks the engine for a decision and applies it; `spool` keeps every
accepted message on disk until it is delivered; `delivery` forwards the spool to the next server
with retries; `notices` writes the short messages that tell a sender or a leader what happened;
`events` is the append-only record the registers ingest.
"""
