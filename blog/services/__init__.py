"""Writes for the blog: import, export and syndication."""
