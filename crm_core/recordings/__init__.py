"""Recording files: where they live (the recordings directory), safe names, and probing them."""
