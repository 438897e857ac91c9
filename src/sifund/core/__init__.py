"""Pure core: codes, Chinese numbers, the domain model. No I/O beyond loading packaged data."""
