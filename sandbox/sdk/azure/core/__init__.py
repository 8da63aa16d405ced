"""dp100 sandbox facade of `azure.core` (exceptions and credentials)."""
