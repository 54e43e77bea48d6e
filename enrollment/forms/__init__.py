"""Forms of the enrollment app, one module per area, like the views."""
