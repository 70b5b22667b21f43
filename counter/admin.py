from counter import settlement_admin  # noqa: E402,F401 - registers the settlement admin
