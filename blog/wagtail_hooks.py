"""Wagtail admin integration for the blog."""

from __future__ import annotations
