"""Write operations of the settlement app, split by use case: periods, lines (the rule and
the record hooks), config (tariffs, agreements, contributions), issue (statements and
payments), output (CSV, PDF, e-mail), demo. Import from the submodules."""
