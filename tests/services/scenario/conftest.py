"""The whole chain in process (the fixture of the stand-in tests)."""

from tests.services.aanbieder.conftest import keten  # noqa: F401 - re-exported fixture
