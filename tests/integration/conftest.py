"""Shared fixtures for the integration tests; engine-specific ones live in plugin modules."""

try:  # tests/integration is not a package today; keep working if it becomes one
    from .conftest_browser import browser
    from .conftest_languagetool import languagetool_server, require_languagetool
except ImportError:
    from conftest_browser import browser
    from conftest_languagetool import languagetool_server, require_languagetool

__all__ = ["browser", "languagetool_server", "require_languagetool"]
