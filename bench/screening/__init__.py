"""Screening benchmarks: quality against a baseline, pair throughput, query speed."""
