"""Writes for practices: provisioning, permissions and lifecycle."""
