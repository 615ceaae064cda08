"""Settings split as base / dev / test / production, configured from the environment."""
