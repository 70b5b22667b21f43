# The counter app's desk fixtures serve the tests of the app on top of it.
from tests.counter.conftest import desk, officer, today_start  # noqa: F401
