"""dp100 sandbox facade of the `azure` namespace (azure.ai.ml, azure.identity, azure.core)."""
__path__ = __import__("pkgutil").extend_path(__path__, __name__)  # type: ignore[name-defined]
