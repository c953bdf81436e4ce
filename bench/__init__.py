"""Benchmarks: scripts that print figures (see README.md), and the regional data set they run on."""
