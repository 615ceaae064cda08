"""Clients for the CRMs a lead can be delivered to: each delivery is a list of steps."""

from .base import STEPS, PermanentError, RetryableError, client_for

__all__ = ["STEPS", "PermanentError", "RetryableError", "client_for"]
