"""Web views, one module per topic."""
