"""Write operations of the counter app. Import from the submodules."""
