from counter.models.records import ServiceRecord

__all__ = ["ServiceRecord"]
