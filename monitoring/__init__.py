"""The monitoring-data import of data-contract.md section 1: read, validate everything, then write all or nothing."""
