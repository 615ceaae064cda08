"""Clients for the CRMs a lead can be delivered to; one `deliver()` per destination."""

from .base import DeliveryResult, PermanentError, RetryableError, client_for

__all__ = ["DeliveryResult", "PermanentError", "RetryableError", "client_for"]
