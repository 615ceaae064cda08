"""The page builder: a StreamField block library for practice pages (README "Page builder").

The library itself is practices.blocks.library; features add blocks through
practices.blocks.registry. This package imports no model at import time (page models
import it).
"""
