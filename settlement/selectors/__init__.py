"""Read queries of the settlement app: statements (totals, scoping, balances, ageing,
netting), population figures and the cost split report. Import from the submodules."""
