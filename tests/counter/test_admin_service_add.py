"""core.admin.ServiceAddAdmin: one "add through the service" path for admins (the service
writes; its refusal is a message on the add page, nothing saved)."""

from core.admin import ServiceAddAdmin
from counter.admin import FeeLineAdmin, FeeLineForm, FeeServiceForm, TariffAdmin, TariffForm


def test_fee_admins_add_through_one_service_path():
    """Tariffs and fee lines are added in the admin through core.admin.ServiceAddAdmin (the
    service writes, its refusal is a message), not through their own copies of it."""
    for model_admin in (TariffAdmin, FeeLineAdmin):
        assert issubclass(model_admin, ServiceAddAdmin)
        assert "add_view" not in vars(model_admin) and "save_model" not in vars(model_admin)
    for form in (TariffForm, FeeLineForm):
        assert issubclass(form, FeeServiceForm) and "clean_service" not in vars(form)
