"""rendering stage."""
