"""The OpenAPI schema, served as committed in docs/openapi.yaml."""

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema, always in English: identical to the committed docs/openapi.yaml whatever
    Accept-Language the client sends (error messages are translated, the contract is not)."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            # The lazy texts are resolved when rendering: render inside the override.
            response.render()
        return response
