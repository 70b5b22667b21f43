"""Read queries of the scheduling app. Import from the submodules."""
