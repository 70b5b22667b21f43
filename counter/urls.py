from counter.settlement_urls import urlpatterns as settlement_urlpatterns

app_name = "counter"

urlpatterns = [*settlement_urlpatterns]
