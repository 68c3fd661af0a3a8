"""DRF's throttles, reading their rates when a request comes rather than at import.

DRF copies DEFAULT_THROTTLE_RATES into a class attribute when it is first imported, so a rate
changed later (tests tightening it, a settings override) would be ignored.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
