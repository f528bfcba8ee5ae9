"""Fictional demo data: ``readmit demo`` loads it through the services and prints the logins.

Every person in here is invented (generated name combinations); public officials named in the
seed article are never people records.
"""
