"""Write operations of the scheduling app. Import from the submodules."""
