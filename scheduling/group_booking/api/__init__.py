"""Group-booking API: input/output serializers (``serializers``), thin views (``views``) and
their routes (``urls``, included by ``scheduling.api.urls`` under /api/v1/)."""
