"""Outgoing mail, shared by every app: how much of it may go (limits.py).

It sits below the apps, as cop_portal/lib does, so that any app may import it; a later
change moves the sending itself here too (a queue with a durable outbox), which keeps
calling `limits.recipient_allowed` at the moment a message is queued.
"""
